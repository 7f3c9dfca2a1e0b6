import fs from 'node:fs';
import path from 'node:path';
import type { ChangeSet } from '../changes/changeSet';
import { planRollback, type KeptFile } from '../changes/rollback';
import { readFileSafely } from '../changes/safeWrite';
import { isBinary, unifiedDiff, type FileVersions } from '../changes/unifiedDiff';
import { START_CHECKPOINT, type CheckpointKind, type CheckpointManifest } from '../state/checkpoints';
import type { BuildRecord } from '../state/workspaceState';
import { BuildInputError } from './inputError';

export interface TimelineEntry {
  name: string;
  kind: CheckpointKind;
  taskId?: string;
  attempt?: number;
  /** When the checkpoint was made (ISO time). */
  at: string;
  /**
   * The files of this step: a task's changed files, the files a rollback restored, those an
   * iteration changed since the checkpoint before; for `start`, every file the build touched.
   */
  files: string[];
  /** For a rollback's undo checkpoint: the checkpoint that rollback restored. */
  target?: string;
}

/** The build's checkpoints, oldest first (`start` always first). */
export function timelineOf(record: BuildRecord): TimelineEntry[] {
  const checkpoints = record.checkpoints;
  const manifests = checkpoints.list().map((name) => checkpoints.manifest(name));
  manifests.sort((a, b) => rank(a) - rank(b) || a.createdAt.localeCompare(b.createdAt) || a.name.localeCompare(b.name));
  return manifests.map((m, i) => {
    const meta = m.meta!;
    const files = meta.files ?? (meta.kind === 'start' ? Object.keys(m.files) : changedBetween(record, manifests[i - 1]?.name, m.name));
    return { name: m.name, kind: meta.kind, taskId: meta.taskId, attempt: meta.attempt, at: m.createdAt, files: [...files].sort(), ...(meta.target ? { target: meta.target } : {}) };
  });
}

export interface RestorePreviewFile {
  path: string;
  /** What restoring does to the file. */
  change: 'modified' | 'created' | 'deleted';
  current: Buffer | null;
  restored: Buffer | null;
  binary: boolean;
}

export interface RestorePreview {
  checkpoint: string;
  /** The files a restore would change, with their bytes now and after. */
  files: RestorePreviewFile[];
  /** Files a restore would leave as they are, and why. */
  kept: KeptFile[];
  /** The same as a unified diff (now → after the restore). */
  diff: string;
}

export function previewRestoreOf(record: BuildRecord, changes: ChangeSet, workspaceRoot: string, checkpoint: string, force: boolean): RestorePreview {
  assertCheckpoint(record, checkpoint);
  const { steps, kept } = planRollback(record, changes, workspaceRoot, checkpoint, force);
  const files = steps.map(({ rel, want }): RestorePreviewFile => {
    const current = readRegularFile(workspaceRoot, rel);
    const restored = want.existed ? record.blobs.get(want.blob) : null;
    return { path: rel, change: !restored ? 'deleted' : !current ? 'created' : 'modified', current, restored, binary: isBinary(current) || isBinary(restored) };
  });
  return { checkpoint, files, kept, diff: unifiedDiff(files.map((f) => ({ path: f.path, before: f.current, after: f.restored }))) };
}

/**
 * The build's changes as a unified diff: from `since` (default `start`) to the files now, or
 * with `task` only that task's files, from the checkpoint before its first attempt (or `since`)
 * to its newest checkpoint.
 */
export function diffOf(record: BuildRecord, workspaceRoot: string, options: { task?: string; since?: string }): string {
  if (options.since !== undefined) assertCheckpoint(record, options.since);
  if (options.task === undefined) {
    const from = options.since ?? START_CHECKPOINT;
    if (!record.checkpoints.exists(from)) return '';
    const files = record.checkpoints.touchedFiles().map((rel) => versions(record, workspaceRoot, rel, from));
    return unifiedDiff(files);
  }
  const { base, checkpoint, files } = taskRange(record, options.task);
  return diffBetween(record, workspaceRoot, options.since ?? base, checkpoint, files);
}

/** These files' change from one checkpoint to another, as a unified diff (both must exist). */
export function diffBetween(record: BuildRecord, workspaceRoot: string, from: string, to: string, files: string[]): string {
  return unifiedDiff(files.map((rel) => versions(record, workspaceRoot, rel, from, to)));
}

/** One file at a checkpoint (null: absent there). */
export function contentAtCheckpoint(record: BuildRecord, checkpoint: string, rel: string): Buffer | null {
  assertCheckpoint(record, checkpoint);
  return record.checkpoints.contentAt(checkpoint, rel);
}

function taskRange(record: BuildRecord, taskId: string): { base: string; checkpoint: string; files: string[] } {
  const known = record.state.plan?.tasks.map((t) => t.id) ?? [];
  const task = record.state.tasks[taskId];
  const entries = timelineOf(record).filter((e) => e.kind === 'task' && e.taskId === taskId);
  if (!task && entries.length === 0) throw new BuildInputError(`Build ${record.state.id} has no task "${taskId}". Known: ${known.join(', ') || 'none (no plan yet)'}.`);
  const newest = entries.at(-1);
  if (!newest) throw new BuildInputError(`Task ${taskId} has no checkpoint yet: one is made when it passes its checks (it is ${task?.status ?? 'not in the plan'}).`);
  const base = task?.checkpointBefore && record.checkpoints.exists(task.checkpointBefore) ? task.checkpointBefore : START_CHECKPOINT;
  return { base, checkpoint: newest.name, files: newest.files };
}

function versions(record: BuildRecord, workspaceRoot: string, rel: string, from: string, to?: string): FileVersions {
  const checkpoints = record.checkpoints;
  const before = checkpoints.exists(from) ? checkpoints.contentAt(from, rel) : null;
  if (to) {
    const snap = checkpoints.stateAt(to)[rel];
    return { path: rel, before, after: checkpoints.contentAt(to, rel), mode: snap?.existed ? snap.mode : undefined };
  }
  const stat = fs.lstatSync(path.join(workspaceRoot, rel), { throwIfNoEntry: false });
  return { path: rel, before, after: readRegularFile(workspaceRoot, rel), mode: stat?.isFile() ? stat.mode : undefined };
}

function assertCheckpoint(record: BuildRecord, name: string): void {
  if (record.checkpoints.exists(name)) return;
  const known = timelineOf(record).map((e) => e.name);
  throw new BuildInputError(`Build ${record.state.id} has no checkpoint "${name}". Known: ${known.join(', ') || 'none (the build changed no file)'}.`);
}

function changedBetween(record: BuildRecord, before: string | undefined, after: string): string[] {
  const then = record.checkpoints.stateAt(before ?? START_CHECKPOINT);
  const now = record.checkpoints.stateAt(after);
  return Object.keys(now).filter((rel) => sha(then[rel]) !== sha(now[rel]));
}

function sha(snap: CheckpointManifest['files'][string] | undefined): string | null {
  return snap?.existed ? snap.blob : null;
}

function rank(m: CheckpointManifest): number {
  return m.name === START_CHECKPOINT ? 0 : 1;
}

/** A file's bytes, or null when it is absent or not a regular file (Munero never follows a link). */
function readRegularFile(workspaceRoot: string, rel: string): Buffer | null {
  return readFileSafely(workspaceRoot, rel)?.data ?? null;
}
