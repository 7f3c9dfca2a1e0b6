import type { BlobStore } from './blobs';
import type { FileSnapshot } from './checkpoints';
import { readJsonLines, type NoteSink } from './jsonLines';

/** The fields of a `changes.jsonl` line this needs (the full type lives in changes/changeSet.ts). */
interface LoggedChange {
  path: string;
  beforeSha: string | null;
  status: string;
}

/**
 * The `start` checkpoint as the change log tells it: every change records the bytes it replaced,
 * so a file's first change that reached the disk holds its original state. Modes were not logged;
 * a rebuilt file gets 0644. Files whose original bytes are no longer among the blobs are `lost`.
 */
export function startFromChangeLog(changeLog: string, blobs: BlobStore, note?: NoteSink): { files: Record<string, FileSnapshot>; lost: string[] } {
  const files: Record<string, FileSnapshot> = {};
  const lost: string[] = [];
  for (const change of readJsonLines<LoggedChange>(changeLog, note)) {
    if (change.status !== 'applied' || files[change.path] || lost.includes(change.path)) continue;
    if (change.beforeSha === null) files[change.path] = { existed: false };
    else if (blobs.holds(change.beforeSha)) files[change.path] = { existed: true, blob: change.beforeSha, mode: 0o644 };
    else lost.push(change.path);
  }
  return { files, lost };
}
