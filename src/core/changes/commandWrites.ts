import fs from 'node:fs';
import path from 'node:path';
import type { EventBus } from '../events/bus';
import { sha256 } from '../state/blobs';
import type { FileSnapshot } from '../state/checkpoints';
import type { BuildRecord } from '../state/workspaceState';
import type { ChangeOrigin, ChangeSet } from './changeSet';
import { GitMissingError, ShadowGit, type TreeChange } from './shadowGit';

/** What `before()` saw; hand it back to `after()`. */
export interface CommandWriteToken {
  /** The workspace's tree before the command; undefined when nothing could be captured. */
  tree?: string;
}

export interface ChangedFile {
  path: string;
  change: 'added' | 'modified' | 'deleted';
}

/**
 * Files the sandbox mounts over while a command runs and removes afterwards: an empty one of
 * these that shows up is the sandbox's, not the command's.
 */
const SANDBOX_STUBS = new Set(['.gitconfig', '.gitmodules', '.bashrc', '.bash_profile', '.zshrc', '.zprofile', '.profile', '.ripgreprc', '.mcp.json']);
const ABSENT = '000000';

/**
 * Sees what a command changed in the workspace (a formatter, a code generator, a test writing a
 * fixture) so checkpoints, the change log and rollback cover it like a tool's write. It compares
 * two snapshots of the workspace taken in a shadow git repository of the build
 * (`.munero/builds/<id>/shadow.git`); the workspace's `.gitignore` files are honoured, and
 * `.git/`, `.munero/` and `node_modules/` are left out.
 *
 *   const token = await tracker.before();
 *   … run the command …
 *   const changed = await tracker.after(token, 'npm run format', { agentId, taskId });
 */
export class CommandWriteTracker {
  private readonly git: ShadowGit;
  private queue: Promise<unknown> = Promise.resolve();
  private unavailable = false;

  constructor(
    private readonly record: BuildRecord,
    private readonly changes: ChangeSet,
    private readonly workspaceRoot: string,
    private readonly bus?: EventBus,
    timeoutMs?: number,
  ) {
    this.git = new ShadowGit(path.join(record.dir, 'shadow.git'), workspaceRoot, timeoutMs);
  }

  /** Snapshots the workspace before a command. Cheap after the first time (git caches file stats). */
  async before(): Promise<CommandWriteToken> {
    const tree = await this.serial(async () => {
      await this.git.ensure();
      return this.git.snapshot();
    });
    return { tree };
  }

  /**
   * Snapshots again after the command and records each file it added, changed or deleted: its
   * original state into the `start` checkpoint (unless already there) and a change with tool
   * `command` and `label` (the command line) into the change log. Files whose new content
   * Munero already knows (a tool write made meanwhile) are not counted again.
   */
  async after(token: CommandWriteToken, label: string, origin: ChangeOrigin = { agentId: 'command' }): Promise<ChangedFile[]> {
    if (!token.tree) return [];
    const found = await this.serial(async () => {
      const tree = await this.git.snapshot();
      return tree === token.tree ? [] : this.git.diff(token.tree!, tree);
    });
    if (!found) return [];
    const changed: ChangedFile[] = [];
    for (const entry of found.filter(isCapturable)) {
      if (await this.serial(() => this.capture(entry, origin, label))) {
        changed.push({ path: entry.path, change: entry.oldMode === ABSENT ? 'added' : entry.newMode === ABSENT ? 'deleted' : 'modified' });
      }
    }
    return changed;
  }

  /**
   * The original bytes go into `start`, the new ones into the blob store for the audit log.
   * Recorded at once, so an overlapping command's `after()` sees the change as known.
   */
  private async capture(entry: TreeChange, origin: ChangeOrigin, label: string): Promise<boolean> {
    const before = entry.oldMode === ABSENT ? undefined : await this.git.blob(entry.oldBlob);
    const after = entry.newMode === ABSENT ? undefined : await this.git.blob(entry.newBlob);
    if (!before && after?.length === 0 && SANDBOX_STUBS.has(path.posix.basename(entry.path))) return false;
    const afterSha = after ? this.record.blobs.put(after) : null;
    const known = this.changes.lastAppliedTo(entry.path);
    if (known && known.afterSha === afterSha) return false;
    const original: FileSnapshot = before ? { existed: true, blob: this.record.blobs.put(before), mode: this.originalMode(entry) } : { existed: false };
    this.record.checkpoints.recordOriginal(entry.path, original);
    this.changes.recordApplied([{ path: entry.path, beforeSha: before ? sha256(before) : null, afterSha }], origin, 'command', label);
    return true;
  }

  /** Git keeps only the executable bit: take the rest from the file on disk when it is still there. */
  private originalMode(entry: TreeChange): number {
    const executable = entry.oldMode === '100755';
    const stat = fs.lstatSync(path.join(this.workspaceRoot, entry.path), { throwIfNoEntry: false });
    const base = stat?.isFile() ? stat.mode & 0o7777 & ~0o111 : 0o644;
    return executable ? base | ((base & 0o444) >> 2) : base;
  }

  /** Git calls one at a time (they share an index); a failure is a warning, never the command's. */
  private serial<T>(work: () => Promise<T>): Promise<T | undefined> {
    const run = this.queue.then(async () => {
      if (this.unavailable) return undefined;
      try {
        return await work();
      } catch (err) {
        this.warn(err);
        return undefined;
      }
    });
    this.queue = run;
    return run;
  }

  private warn(err: unknown): void {
    if (err instanceof GitMissingError) {
      this.unavailable = true;
      this.bus?.emit({ type: 'log', level: 'warn', message: 'git is not installed: files that commands change are not captured in checkpoints, so a rollback cannot return them.' });
      return;
    }
    this.bus?.emit({ type: 'log', level: 'warn', message: `Could not capture what a command changed: ${(err as Error).message}` });
  }
}

/** Regular files only: links and nested repositories are neither snapshotted nor restored. */
function isCapturable(entry: TreeChange): boolean {
  const file = (mode: string) => mode === ABSENT || mode === '100644' || mode === '100755';
  return file(entry.oldMode) && file(entry.newMode);
}
