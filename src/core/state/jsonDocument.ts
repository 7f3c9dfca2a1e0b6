import { LowSync } from 'lowdb';
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from './durableWrite';
import { StateCorruptError } from './errors';
import { describeJsonError } from './jsonErrors';
import { documentLabel, killPoint } from './killPoint';

/**
 * A small JSON document on disk with atomic, durable writes (see durableWrite.ts). A file that
 * does not parse, or that `check` finds the wrong shape, is moved aside and reported, never
 * replaced by the default.
 */
export class JsonDocument<T> {
  private readonly db: LowSync<T>;

  constructor(
    readonly file: string,
    defaultData: T,
    /** What is wrong with the parsed data's shape, if anything. */
    check?: (data: unknown) => string | undefined,
  ) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.db = new LowSync<T>(
      {
        read: () => {
          const raw = readIfExists(file);
          if (raw === null) return null;
          let data: unknown;
          try {
            data = JSON.parse(raw);
          } catch (err) {
            throw moveAside(file, describeJsonError(raw, err));
          }
          const problem = check?.(data);
          if (problem) throw moveAside(file, problem);
          return data as T;
        },
        write: (data: T) => writeFileAtomic(file, JSON.stringify(data, null, 2) + '\n'),
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

function readIfExists(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

export function moveAside(file: string, reason: string, next?: string): StateCorruptError {
  const stamp = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  // Two files broken within one millisecond must not overwrite each other.
  let movedTo = stamp;
  for (let n = 2; fs.existsSync(movedTo); n++) movedTo = `${stamp}-${n}`;
  fs.renameSync(file, movedTo);
  return new StateCorruptError(file, movedTo, reason, next);
}
