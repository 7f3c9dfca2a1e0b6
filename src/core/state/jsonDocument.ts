import { LowSync } from 'lowdb';
import { TextFileSync } from 'lowdb/node';
import fs from 'node:fs';
import path from 'node:path';
import { StateCorruptError } from './errors';
import { documentLabel, killPoint } from './killPoint';

/**
 * A small JSON document on disk with atomic writes (lowdb writes a temp file and renames it).
 * A file that does not parse is moved aside and reported, never replaced by the default.
 */
export class JsonDocument<T> {
  private readonly db: LowSync<T>;

  constructor(
    readonly file: string,
    defaultData: T,
  ) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const text = new TextFileSync(file);
    this.db = new LowSync<T>(
      {
        read: () => {
          const raw = text.read();
          if (raw === null) return null;
          try {
            return JSON.parse(raw) as T;
          } catch (err) {
            throw moveAside(file, (err as Error).message);
          }
        },
        write: (data: T) => text.write(JSON.stringify(data, null, 2) + '\n'),
      },
      defaultData,
    );
    this.db.read();
  }

  get data(): T {
    return this.db.data;
  }

  update(mutate: (data: T) => void): void {
    mutate(this.db.data);
    this.write();
  }

  write(): void {
    this.db.write();
    killPoint(() => documentLabel(this.file));
  }
}

export function moveAside(file: string, reason: string): StateCorruptError {
  const stamp = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  // Two files broken within one millisecond must not overwrite each other.
  let movedTo = stamp;
  for (let n = 2; fs.existsSync(movedTo); n++) movedTo = `${stamp}-${n}`;
  fs.renameSync(file, movedTo);
  return new StateCorruptError(file, movedTo, reason);
}
