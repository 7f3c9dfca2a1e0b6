import fs from 'node:fs';
import path from 'node:path';
import { StateDamagedError } from './errors';
import { killPoint, lineLabel } from './killPoint';

/**
 * An append-only JSON Lines file. Appends cost the same at the 100,000th line as at the first:
 * the descriptor stays open and nothing already written is read back.
 */
export class JsonLinesWriter {
  private fd: number | undefined;

  constructor(
    readonly file: string,
    /** Told when a torn last line is cut before the first append. */
    private readonly note?: NoteSink,
  ) {}

  append(value: unknown): void {
    if (this.fd === undefined) {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      const dropped = dropTornTail(this.file);
      if (dropped) this.note?.(`${this.file}: its last line was cut short (a write lost in a crash or power loss); the ${dropped} ${dropped === 1 ? 'byte was' : 'bytes were'} removed before appending, so the fragment does not end up mid-file.`);
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
 * Returns the bytes cut.
 */
function dropTornTail(file: string): number {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    return 0;
  }
  if (size === 0) return 0;
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
        return size - keep;
      }
      end = start;
    }
    fs.ftruncateSync(fd, 0);
    return size;
  } finally {
    fs.closeSync(fd);
  }
}

/** Something a reader noticed and got past (a torn line dropped, a damaged line skipped, a file rebuilt). */
export type NoteSink = (note: string) => void;

/**
 * Reads every complete line. A torn last line (no newline: the process died mid-write) is dropped, with a
 * note when there is someone to tell. A broken line elsewhere is skipped with a note when
 * `onNote` is given (a log read for what it still holds), else it is an error naming the line.
 */
export function readJsonLines<T>(file: string, onNote?: NoteSink): T[] {
  if (!fs.existsSync(file)) return [];
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const out: T[] = [];
  const skipped: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '') continue;
    try {
      out.push(JSON.parse(line) as T);
    } catch {
      // Torn: the last line, with no newline after it (a complete line that does not parse is damaged).
      if (i === lines.length - 1) {
        const what = /^\0+$/.test(line) ? 'holds only zero bytes' : 'was cut short';
        onNote?.(`${file}: line ${i + 1} ${what} (a write lost in a crash or power loss) and is ignored; ${out.length ? `the ${lineCount(out.length)} before it ${out.length === 1 ? 'is' : 'are'} intact` : 'no complete line is left'}.`);
        break;
      }
      if (!onNote) throw new StateDamagedError(file, `${file}:${i + 1}: this line is not JSON, so the file is damaged. Delete that line (or move the file away) and run the command again.`);
      skipped.push(i + 1);
    }
  }
  if (skipped.length) onNote?.(`${file}: ${skipped.length} damaged ${skipped.length === 1 ? 'line' : 'lines'} skipped (${describeLines(skipped)}); ${lineCount(out.length)} ${out.length === 1 ? 'is' : 'are'} read as usual.`);
  return out;
}

function lineCount(n: number): string {
  return `${n} ${n === 1 ? 'line' : 'lines'}`;
}

function describeLines(lines: number[]): string {
  const shown = lines.slice(0, 5).join(', ');
  return `line${lines.length === 1 ? '' : 's'} ${shown}${lines.length > 5 ? ` and ${lines.length - 5} more` : ''}`;
}
