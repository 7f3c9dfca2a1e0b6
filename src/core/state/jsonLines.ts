import fs from 'node:fs';
import path from 'node:path';
import { killPoint, lineLabel } from './killPoint';

/**
 * An append-only JSON Lines file. Appends cost the same at the 100,000th line as at the first:
 * the descriptor stays open and nothing already written is read back.
 */
export class JsonLinesWriter {
  private fd: number | undefined;

  constructor(readonly file: string) {}

  append(value: unknown): void {
    if (this.fd === undefined) {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      dropTornTail(this.file);
      this.fd = fs.openSync(this.file, 'a');
    }
    fs.writeSync(this.fd, JSON.stringify(value) + '\n');
    killPoint(() => lineLabel(this.file, value));
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }
}

/**
 * A write cut short (power loss, a full disk) leaves a last line without its newline. Appending
 * after it would bury the fragment mid-file, so it is cut back to the last complete line first.
 */
function dropTornTail(file: string): void {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    return;
  }
  if (size === 0) return;
  const fd = fs.openSync(file, 'r+');
  try {
    const tail = Buffer.alloc(Math.min(size, 64 * 1024));
    let end = size;
    while (end > 0) {
      const start = Math.max(0, end - tail.length);
      fs.readSync(fd, tail, 0, end - start, start);
      const at = tail.subarray(0, end - start).lastIndexOf(10);
      if (at >= 0) {
        const keep = start + at + 1;
        if (keep !== size) fs.ftruncateSync(fd, keep);
        return;
      }
      end = start;
    }
    fs.ftruncateSync(fd, 0);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Reads every complete line. A torn last line (the process died mid-write) is skipped;
 * a broken line elsewhere is reported with its number.
 */
export function readJsonLines<T>(file: string): T[] {
  if (!fs.existsSync(file)) return [];
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const out: T[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '') continue;
    try {
      out.push(JSON.parse(line) as T);
    } catch {
      const isLast = lines.slice(i + 1).every((l) => l.trim() === '');
      if (isLast) break;
      throw new Error(`${file}:${i + 1}: not a JSON line; the file is damaged`);
    }
  }
  return out;
}
