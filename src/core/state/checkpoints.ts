import fs from 'node:fs';
import path from 'node:path';
import { readFileSafely, removeFileSafely, writeFileSafely, type WriteRules } from '../changes/safeWrite';
import type { BlobStore } from './blobs';
import { StateCorruptError, StateDamagedError } from './errors';
import { JsonDocument } from './jsonDocument';
import type { NoteSink } from './jsonLines';
import type { StateAtCheckpoint } from './stateAtCheckpoint';

/** The state of one workspace file at a checkpoint: absent, or these bytes with this mode. */
export type FileSnapshot = { existed: false } | { existed: true; blob: string; mode: number };

export type CheckpointKind = 'start' | 'task' | 'iteration' | 'rollback';

/** What a checkpoint marks, for the timeline and for rewinding the build's state to it. */
export interface CheckpointMeta {
  kind: CheckpointKind;
  taskId?: string;
  attempt?: number;
  /** The files this step changed (a task's files; the files a rollback restored). */
  files?: string[];
  /** For a rollback's undo checkpoint: the checkpoint the rollback restored. */
  target?: string;
  /** The build's task state at this point, so it can be rewound here. */
  state?: StateAtCheckpoint;
}

export interface CheckpointManifest {
  name: string;
  createdAt: string;
  files: Record<string, FileSnapshot>;
  /** Absent in checkpoints from before the timeline (kind is then read from the name). */
  meta?: CheckpointMeta;
}

export const START_CHECKPOINT = 'start';

/** How a build's checkpoints get past damage: whom to tell, and how to rebuild `start` (from the change log). */
export interface CheckpointRecovery {
  note?: NoteSink;
  rebuildStart?: () => { files: Record<string, FileSnapshot>; lost: string[] };
}

/**
 * Checkpoints of the files a build touches. `start` is filled lazily: a file's original bytes
 * are saved the first time the build is about to change it. Later checkpoints snapshot every
 * file touched so far. A file missing from a later checkpoint had not been touched yet, so its
 * state there is its state at `start`.
 */
export class Checkpoints {
  constructor(
    private readonly dir: string,
    private readonly blobs: BlobStore,
    private readonly workspaceRoot: string,
    private readonly recovery: CheckpointRecovery = {},
  ) {}

  /**
   * Saves the original state of `rel` into `start` unless it is already there: as on disk now,
   * or `original` when the disk has already moved on (a command changed it).
   */
  recordOriginal(rel: string, original?: FileSnapshot): void {
    const start = this.open(START_CHECKPOINT);
    if (start.data.files[rel]) return;
    start.update((m) => {
      m.files[rel] = original ?? this.snapshot(rel);
    });
  }

  touchedFiles(): string[] {
    return Object.keys(this.open(START_CHECKPOINT).data.files).sort();
  }

  create(name: string, meta?: CheckpointMeta): CheckpointManifest {
    if (!isCheckpointName(name)) throw new Error(`Checkpoint name "${name}" is not valid`);
    const files: Record<string, FileSnapshot> = {};
    for (const rel of this.touchedFiles()) files[rel] = this.snapshot(rel);
    const doc = this.open(name);
    doc.update((m) => {
      m.files = files;
      m.createdAt = new Date().toISOString();
      m.meta = meta;
    });
    return doc.data;
  }

  /** Adds to a checkpoint's meta (a rollback names the files it restored once it has). */
  annotate(name: string, meta: Partial<CheckpointMeta>): void {
    this.open(name).update((m) => {
      m.meta = { ...(m.meta ?? { kind: kindFromName(name) }), ...meta };
    });
  }

  manifest(name: string): CheckpointManifest {
    if (!this.exists(name)) throw new Error(`No checkpoint named "${name}". Known: ${this.list().join(', ') || 'none'}`);
    const data = this.open(name).data;
    return { ...data, meta: data.meta ?? { kind: kindFromName(name) } };
  }

  /** One touched file's bytes at checkpoint `name`; null when it did not exist there. */
  contentAt(name: string, rel: string): Buffer | null {
    const snap = this.stateAt(name)[rel];
    return snap?.existed ? this.bytes(snap.blob, rel, name) : null;
  }

  /** The checkpoints whose manifests are readable; a damaged one is moved aside and noted. */
  list(): string[] {
    if (!fs.existsSync(this.dir)) return [];
    return fs
      .readdirSync(this.dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -'.json'.length))
      .filter((name) => this.readable(name));
  }

  exists(name: string): boolean {
    return isCheckpointName(name) && fs.existsSync(this.manifestFile(name));
  }

  /** Every touched file's state at checkpoint `name` (a file it lacks is as it was at `start`). */
  stateAt(name: string): Record<string, FileSnapshot> {
    if (!this.exists(name)) {
      throw new Error(`No checkpoint named "${name}". Known: ${this.list().join(', ') || 'none'}`);
    }
    const target = this.open(name).data.files;
    const start = this.open(START_CHECKPOINT).data.files;
    return Object.fromEntries(this.touchedFiles().map((rel) => [rel, target[rel] ?? start[rel]]));
  }

  /** Puts every touched file back to its state at `name`, byte for byte. Returns the paths restored. */
  restore(name: string, rules: WriteRules = {}): string[] {
    const restored: string[] = [];
    for (const [rel, want] of Object.entries(this.stateAt(name))) {
      if (this.restoreFile(rel, want, rules)) restored.push(rel);
    }
    return restored;
  }

  /**
   * Puts one file back to `want` through the one write door (a created file goes, with the
   * folders it leaves empty). False when there was nothing to remove.
   */
  restoreFile(rel: string, want: FileSnapshot, rules: WriteRules = {}): boolean {
    if (!want.existed) return removeFileSafely(this.workspaceRoot, rel, rules);
    writeFileSafely(this.workspaceRoot, rel, this.bytes(want.blob, rel), { ...rules, mode: want.mode });
    return true;
  }

  /**
   * A saved version of `rel`. A damaged blob is repaired when the workspace file still holds the
   * same bytes; otherwise the error says which file and checkpoint it was.
   */
  private bytes(hash: string, rel: string, checkpoint?: string): Buffer {
    try {
      return this.blobs.get(hash);
    } catch (err) {
      if (!(err instanceof StateDamagedError)) throw err;
      const found = readFileSafely(this.workspaceRoot, rel);
      if (found && this.blobs.repair(hash, found.data)) {
        this.recovery.note?.(`${err.file} was damaged; it was repaired from ${rel}, which still holds the same bytes.`);
        return found.data;
      }
      const at = checkpoint ? ` at checkpoint "${checkpoint}"` : '';
      throw new StateDamagedError(err.file, err.message.replace(/ Munero cannot restore/, ` It held ${rel} as it was${at}; Munero cannot restore`));
    }
  }

  private readable(name: string): boolean {
    try {
      this.open(name);
      return true;
    } catch (err) {
      if (!(err instanceof StateCorruptError)) throw err;
      this.recovery.note?.(err.message);
      return false;
    }
  }

  /**
   * A link, or a file behind a folder swapped for a link, is recorded as absent: Munero never
   * writes one, and never reads through one (it could copy a secret from outside into `.munero`).
   */
  private snapshot(rel: string): FileSnapshot {
    const file = readFileSafely(this.workspaceRoot, rel);
    if (!file) return { existed: false };
    return { existed: true, blob: this.blobs.put(file.data), mode: file.mode };
  }

  private manifestFile(name: string): string {
    if (!isCheckpointName(name)) throw new Error(`Checkpoint name "${name}" is not valid`);
    return path.join(this.dir, `${name}.json`);
  }

  /**
   * A checkpoint's manifest. A damaged one is moved aside: `start` is then rebuilt from the change
   * log (every change records the bytes it replaced), any other is reported as lost.
   */
  private open(name: string): JsonDocument<CheckpointManifest> {
    const file = this.manifestFile(name);
    const empty = { name, createdAt: new Date().toISOString(), files: {} };
    try {
      return new JsonDocument<CheckpointManifest>(file, empty, checkManifest);
    } catch (err) {
      if (!(err instanceof StateCorruptError) || name !== START_CHECKPOINT || !this.recovery.rebuildStart) {
        if (err instanceof StateCorruptError) throw new StateCorruptError(file, err.movedTo, err.reason, `checkpoint "${name}" can no longer be restored; the build's other checkpoints are intact (\`munero status\` lists them).`);
        throw err;
      }
      const { files, lost } = this.recovery.rebuildStart();
      const doc = new JsonDocument<CheckpointManifest>(file, { ...empty, files, meta: { kind: 'start' } });
      doc.write();
      const count = Object.keys(files).length;
      this.recovery.note?.(
        `${file} was corrupted (${err.reason}) and was moved to ${err.movedTo}; it was rebuilt from the change log with the original state of ${count} ${count === 1 ? 'file' : 'files'}${lost.length ? `; the original bytes of ${lost.join(', ')} are lost, so rolling back to "start" leaves ${lost.length === 1 ? 'it' : 'them'} as ${lost.length === 1 ? 'it is' : 'they are'}` : ''}.`,
      );
      return doc;
    }
  }
}

function checkManifest(data: unknown): string | undefined {
  const m = data as Partial<CheckpointManifest> | null;
  if (!m || typeof m !== 'object' || typeof m.name !== 'string' || !m.files || typeof m.files !== 'object') return 'not a checkpoint manifest';
  return undefined;
}

export function isCheckpointName(name: string): boolean {
  return /^[A-Za-z0-9._-]{1,64}$/.test(name);
}

function kindFromName(name: string): CheckpointKind {
  if (name === START_CHECKPOINT) return 'start';
  if (name.startsWith('task-')) return 'task';
  if (name.startsWith('before-rollback-')) return 'rollback';
  return 'iteration';
}
