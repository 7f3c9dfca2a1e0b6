import * as vscode from 'vscode';
import type { ReviewFile, ReviewHunk, ReviewSnapshot } from '../../core';
import { EMPTY_SNAPSHOT, type ReviewSource } from './reviewSource';
import { proposalUri } from './reviewUris';

/**
 * The core's review snapshot, indexed by the URI each file is reviewed at: the file itself
 * when its change is on disk (`review`), its proposal document when it is not (`approve`).
 * A projection only; refreshed whenever the core says the review changed.
 */
export class ReviewModel implements vscode.Disposable {
  private current: ReviewSnapshot = EMPTY_SNAPSHOT;
  private readonly byUri = new Map<string, ReviewFile>();
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly unsubscribe: () => void;
  readonly onDidChange = this.changed.event;

  constructor(
    readonly source: ReviewSource,
    private readonly root: vscode.Uri,
  ) {
    this.unsubscribe = source.onReviewChanged(() => this.refresh());
    this.refresh();
  }

  get snapshot(): ReviewSnapshot {
    return this.current;
  }

  get files(): ReviewFile[] {
    return this.current.files;
  }

  /** Files that still have hunks awaiting a decision. */
  get pendingFiles(): ReviewFile[] {
    return this.current.files.filter((f) => f.hunks.some(isOpen));
  }

  refresh(): void {
    try {
      this.current = this.source.reviewSnapshot();
    } catch {
      this.current = EMPTY_SNAPSHOT; // no build state yet, or it is being rewritten; the next event refreshes
    }
    this.byUri.clear();
    for (const file of this.current.files) this.byUri.set(this.reviewUri(file).toString(), file);
    this.changed.fire();
  }

  /** Where the user reviews this file: the file on disk, or its proposal while nothing has landed. */
  reviewUri(file: ReviewFile): vscode.Uri {
    return file.state === 'proposed' ? proposalUri(file.path) : this.fileUri(file.path);
  }

  fileUri(relPath: string): vscode.Uri {
    return vscode.Uri.joinPath(this.root, relPath);
  }

  fileAt(uri: vscode.Uri): ReviewFile | undefined {
    return this.byUri.get(uri.toString());
  }

  /** The file whose change is only proposed, looked up by the real file's URI (approve mode). */
  proposalFor(uri: vscode.Uri): ReviewFile | undefined {
    return this.current.files.find((f) => f.state === 'proposed' && this.fileUri(f.path).toString() === uri.toString());
  }

  fileByPath(relPath: string): ReviewFile | undefined {
    return this.current.files.find((f) => f.path === relPath);
  }

  hunk(id: string): { file: ReviewFile; hunk: ReviewHunk } | undefined {
    for (const file of this.current.files) {
      const hunk = file.hunks.find((h) => h.id === id);
      if (hunk) return { file, hunk };
    }
    return undefined;
  }

  /** The open hunk whose lines contain `line` (0-based), or the nearest one below it. */
  hunkAtLine(file: ReviewFile, line: number): ReviewHunk | undefined {
    const open = file.hunks.filter(isOpen);
    return open.find((h) => line >= h.newStart - 1 && line < h.newStart - 1 + Math.max(1, h.newLines.length)) ?? open.find((h) => h.newStart - 1 >= line);
  }

  dispose(): void {
    this.unsubscribe();
    this.changed.dispose();
  }
}

/** A hunk the user can still act on: awaiting a decision, or stale (reject only). */
export function isOpen(hunk: ReviewHunk): boolean {
  return hunk.status === 'pending' || hunk.status === 'stale';
}
