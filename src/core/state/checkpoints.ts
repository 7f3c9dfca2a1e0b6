import fs from 'node:fs';
import path from 'node:path';
import type { BlobStore } from './blobs';
import { JsonDocument } from './jsonDocument';

/** The state of one workspace file at a checkpoint: absent, or these bytes with this mode. */
export type FileSnapshot = { existed: false } | { existed: true; blob: string; mode: number };

export interface CheckpointManifest {
  name: string;
  createdAt: string;
  files: Record<string, FileSnapshot>;
}

export const START_CHECKPOINT = 'start';

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
  ) {}

  /** Saves the original state of `rel` into `start` unless it is already there. */
  recordOriginal(rel: string): void {
    const start = this.open(START_CHECKPOINT);
    if (start.data.files[rel]) return;
    start.update((m) => {
      m.files[rel] = this.snapshot(rel);
    });
  }

  touchedFiles(): string[] {
    return Object.keys(this.open(START_CHECKPOINT).data.files).sort();
  }

  create(name: string): CheckpointManifest {
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(name)) throw new Error(`Checkpoint name "${name}" is not valid`);
    const files: Record<string, FileSnapshot> = {};
    for (const rel of this.touchedFiles()) files[rel] = this.snapshot(rel);
    const doc = this.open(name);
    doc.update((m) => {
      m.files = files;
    });
    return doc.data;
  }

  list(): string[] {
    if (!fs.existsSync(this.dir)) return [];
    return fs
      .readdirSync(this.dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -'.json'.length));
  }

  exists(name: string): boolean {
    return fs.existsSync(this.manifestFile(name));
  }

  /** Puts every touched file back to its state at `name`, byte for byte. Returns the paths restored. */
  restore(name: string): string[] {
    if (!this.exists(name)) {
      throw new Error(`No checkpoint named "${name}". Known: ${this.list().join(', ') || 'none'}`);
    }
    const target = this.open(name).data.files;
    const start = this.open(START_CHECKPOINT).data.files;
    const restored: string[] = [];
    for (const rel of this.touchedFiles()) {
      const want = target[rel] ?? start[rel];
      const abs = path.join(this.workspaceRoot, rel);
      if (!want.existed) {
        if (fs.existsSync(abs)) {
          fs.rmSync(abs, { force: true });
          this.pruneEmptyParents(abs);
          restored.push(rel);
        }
        continue;
      }
      const data = this.blobs.get(want.blob);
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      const tmp = `${abs}.munero-restore`;
      fs.writeFileSync(tmp, data, { mode: want.mode });
      fs.chmodSync(tmp, want.mode);
      fs.renameSync(tmp, abs);
      restored.push(rel);
    }
    return restored;
  }

  /** Folders the build created for a file go with it; a folder with anything else in it stays. */
  private pruneEmptyParents(abs: string): void {
    for (let dir = path.dirname(abs); dir.startsWith(this.workspaceRoot + path.sep); dir = path.dirname(dir)) {
      if (fs.readdirSync(dir).length > 0) return;
      fs.rmdirSync(dir);
    }
  }

  private snapshot(rel: string): FileSnapshot {
    const abs = path.join(this.workspaceRoot, rel);
    if (!fs.existsSync(abs)) return { existed: false };
    const stat = fs.statSync(abs);
    return { existed: true, blob: this.blobs.put(fs.readFileSync(abs)), mode: stat.mode & 0o7777 };
  }

  private manifestFile(name: string): string {
    return path.join(this.dir, `${name}.json`);
  }

  private open(name: string): JsonDocument<CheckpointManifest> {
    return new JsonDocument<CheckpointManifest>(this.manifestFile(name), {
      name,
      createdAt: new Date().toISOString(),
      files: {},
    });
  }
}
