import fs from 'node:fs';
import path from 'node:path';
import { sha256 } from '../state/blobs';
import type { CheckpointMeta, FileSnapshot } from '../state/checkpoints';
import type { BuildRecord } from '../state/workspaceState';
import type { ChangeSet } from './changeSet';
import { readFileSafely, UnsafeWriteError } from './safeWrite';
import { plural } from '../plural';

export interface KeptFile {
  path: string;
  reason: string;
}

export interface RollbackOutcome {
  checkpoint: string;
  restored: string[];
  /** Files left as they are, each with why (changed since Munero wrote it, or a refused write). */
  kept: KeptFile[];
  /** The checkpoint that undoes this rollback; absent when nothing changed. */
  undoCheckpoint?: string;
  /** Where the user's versions of files rolled back with `force` were saved first. */
  savedDir?: string;
}

export const UNDO_PREFIX = 'before-rollback-';

/** What is at a workspace path now, never following a link: a file's hash, null when absent. */
export type OnDisk = { sha: string | null } | { other: string };

/** A file a rollback would put back: what it wants, what is there now, whether the user changed it. */
export interface RestoreStep {
  rel: string;
  want: FileSnapshot;
  now: OnDisk;
  userEdited: boolean;
}

/**
 * What a rollback to `checkpoint` would do, without doing it: the files it would restore, and
 * those it would keep (changed since Munero last wrote them, unless `force`; not a regular file).
 */
export function planRollback(record: BuildRecord, changes: ChangeSet, workspaceRoot: string, checkpoint: string, force: boolean): { steps: RestoreStep[]; kept: KeptFile[] } {
  const checkpoints = record.checkpoints;
  const target = checkpoints.stateAt(checkpoint);
  const start = checkpoints.stateAt('start');
  const kept: KeptFile[] = [];
  const steps: RestoreStep[] = [];
  for (const [rel, want] of Object.entries(target)) {
    const now = onDisk(workspaceRoot, rel);
    const wantSha = want.existed ? want.blob : null;
    if ('sha' in now && now.sha === wantSha) continue;
    const last = changes.lastAppliedTo(rel);
    const lastWritten = last ? last.afterSha : start[rel].existed ? start[rel].blob : null;
    // With no change record (a damaged change log), a version some checkpoint saved is Munero's too.
    const userEdited = !('sha' in now) || (now.sha !== lastWritten && (last !== undefined || !savedVersions(record, rel).has(now.sha)));
    if (userEdited && !force) {
      kept.push({ path: rel, reason: 'other' in now ? `it is ${now.other} now` : 'it was changed after Munero last wrote it' });
      continue;
    }
    steps.push({ rel, want, now, userEdited });
  }
  return { steps, kept };
}

function savedVersions(record: BuildRecord, rel: string): Set<string | null> {
  const checkpoints = record.checkpoints;
  return new Set(checkpoints.list().map((name) => {
    const snap = checkpoints.stateAt(name)[rel];
    return snap?.existed ? snap.blob : null;
  }));
}

/**
 * Restores the files a build touched to a checkpoint, but only those still as Munero last left
 * them; a file changed since (by the user, say) is kept and listed, unless `force`, which first
 * saves a copy of it. Before anything changes the current state becomes a checkpoint (with
 * `undoMeta`, e.g. the build's task state), so the rollback can itself be rolled back.
 * `alwaysUndoable` makes that checkpoint even when no file needs restoring.
 */
export function rollbackTo(
  record: BuildRecord,
  changes: ChangeSet,
  workspaceRoot: string,
  checkpoint: string,
  force: boolean,
  undo: { meta?: Omit<CheckpointMeta, 'kind'>; always?: boolean } = {},
): RollbackOutcome {
  const checkpoints = record.checkpoints;
  const { steps: plan, kept } = planRollback(record, changes, workspaceRoot, checkpoint, force);
  if (plan.length === 0 && !undo.always) return { checkpoint, restored: [], kept };

  const undoCheckpoint = nextUndoName(checkpoints.list());
  checkpoints.create(undoCheckpoint, { ...undo.meta, kind: 'rollback', target: checkpoint });
  const savedDir = plan.some((p) => p.userEdited) ? path.join(record.dir, 'rollback-saved', new Date().toISOString().replace(/[:.]/g, '-')) : undefined;
  const restored: string[] = [];
  const records: { path: string; beforeSha: string | null; afterSha: string | null }[] = [];
  for (const { rel, want, now, userEdited } of plan) {
    try {
      if (userEdited && savedDir) saveCopy(workspaceRoot, rel, path.join(savedDir, rel));
      checkpoints.restoreFile(rel, want, changes.rules);
      restored.push(rel);
      records.push({ path: rel, beforeSha: 'sha' in now ? now.sha : null, afterSha: want.existed ? want.blob : null });
    } catch (err) {
      if (!(err instanceof UnsafeWriteError) && !(err as NodeJS.ErrnoException).code) throw err;
      kept.push({ path: rel, reason: `it could not be restored: ${(err as Error).message}` });
    }
  }
  checkpoints.annotate(undoCheckpoint, { files: restored });
  changes.recordApplied(records, { agentId: 'user' }, 'rollback', checkpoint);
  return { checkpoint, restored, kept, undoCheckpoint, savedDir };
}

function onDisk(workspaceRoot: string, rel: string): OnDisk {
  const stat = fs.lstatSync(path.join(workspaceRoot, rel), { throwIfNoEntry: false });
  if (!stat) return { sha: null };
  if (stat.isSymbolicLink()) return { other: 'a symbolic link' };
  if (!stat.isFile()) return { other: stat.isDirectory() ? 'a folder' : 'not a regular file' };
  const file = readFileSafely(workspaceRoot, rel);
  return file ? { sha: sha256(file.data) } : { other: 'reached through a symbolic link' };
}

function nextUndoName(existing: string[]): string {
  const numbers = existing.filter((n) => n.startsWith(UNDO_PREFIX)).map((n) => Number(n.slice(UNDO_PREFIX.length)) || 0);
  return `${UNDO_PREFIX}${Math.max(0, ...numbers) + 1}`;
}

/** The user's version goes into Munero's own state folder (not a workspace write), read through the door. */
function saveCopy(workspaceRoot: string, rel: string, to: string): void {
  const file = readFileSafely(workspaceRoot, rel);
  if (!file) return;
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.writeFileSync(to, file.data, { flag: 'wx', mode: file.mode });
}

/** One line for the log: what was restored, what was kept and why, how to undo. */
export function describeRollback(outcome: RollbackOutcome): string {
  const parts = [`Rolled back ${plural(outcome.restored.length, 'file')} to checkpoint ${outcome.checkpoint}`];
  if (outcome.kept.length) parts.push(`kept ${outcome.kept.map((k) => `${k.path} (${k.reason})`).join(', ')}`);
  if (outcome.savedDir) parts.push(`your versions were saved in ${outcome.savedDir}`);
  if (outcome.undoCheckpoint) parts.push(`undo with checkpoint ${outcome.undoCheckpoint}`);
  return parts.join('; ');
}
