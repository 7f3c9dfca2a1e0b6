import * as vscode from 'vscode';
import type { ReviewModel } from './reviewModel';
import { PROPOSAL_SCHEME, proposalUri, relPathOf } from './reviewUris';

interface Proposal {
  /** The core's proposed content this document started from. */
  base: string;
  /** What the document holds now: the proposal, or the user's saved edit of it. */
  bytes: Uint8Array;
  mtime: number;
}

/**
 * `munero-proposal:/path`: each change proposed in `approve` mode as an editable document that
 * lives in memory only. Saving it keeps the user's edit here (it becomes the hunk's
 * `editedLines` on Accept); nothing reaches the workspace file until the core applies a decision.
 */
export class ProposalFileSystem implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly proposals = new Map<string, Proposal>();
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  private readonly listener: vscode.Disposable;
  readonly onDidChangeFile = this.changed.event;

  constructor(private readonly model: ReviewModel) {
    this.listener = model.onDidChange(() => this.sync());
    this.sync();
  }

  static register(model: ReviewModel): vscode.Disposable {
    const fs = new ProposalFileSystem(model);
    return vscode.Disposable.from(fs, vscode.workspace.registerFileSystemProvider(PROPOSAL_SCHEME, fs, { isCaseSensitive: true }));
  }

  /** Follows the core: a new proposal replaces the document; a decided one goes away. */
  private sync(): void {
    const events: vscode.FileChangeEvent[] = [];
    const live = new Set<string>();
    for (const file of this.model.files) {
      if (file.state !== 'proposed') continue;
      live.add(file.path);
      const known = this.proposals.get(file.path);
      if (known?.base === file.after) continue;
      this.proposals.set(file.path, { base: file.after, bytes: new TextEncoder().encode(file.after), mtime: Date.now() });
      events.push({ type: known ? vscode.FileChangeType.Changed : vscode.FileChangeType.Created, uri: proposalUri(file.path) });
    }
    for (const path of [...this.proposals.keys()]) {
      if (live.has(path)) continue;
      this.proposals.delete(path);
      events.push({ type: vscode.FileChangeType.Deleted, uri: proposalUri(path) });
    }
    if (events.length) this.changed.fire(events);
  }

  private get(uri: vscode.Uri): Proposal {
    const proposal = this.proposals.get(relPathOf(uri));
    if (!proposal) throw vscode.FileSystemError.FileNotFound(uri);
    return proposal;
  }

  stat(uri: vscode.Uri): vscode.FileStat {
    const p = this.get(uri);
    return { type: vscode.FileType.File, ctime: p.mtime, mtime: p.mtime, size: p.bytes.byteLength };
  }

  readFile(uri: vscode.Uri): Uint8Array {
    return this.get(uri).bytes;
  }

  writeFile(uri: vscode.Uri, content: Uint8Array): void {
    const p = this.get(uri); // a proposal document cannot be created by saving: only the core proposes
    p.bytes = content;
    p.mtime = Date.now();
    this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  createDirectory(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  delete(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  rename(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  dispose(): void {
    this.listener.dispose();
    this.changed.dispose();
  }
}
