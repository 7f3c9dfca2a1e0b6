import fs from 'node:fs';
import { StateDamagedError } from './errors';
import type { NoteSink } from './jsonLines';

export interface TailLimits {
  /** Bytes read per call, so catching up on a long log never holds it all at once. */
  chunkBytes: number;
  /** A line longer than this is damage, not an event. */
  maxLineBytes: number;
}

const DEFAULT_LIMITS: TailLimits = { chunkBytes: 1 << 20, maxLineBytes: 8 << 20 };

/**
 * Reads a JSON Lines file that another process is appending to, from where the last read
 * stopped. A last line without its newline is a write in progress (or torn by a crash): it is
 * held back until its newline arrives. A writer that reopens the file cuts a torn tail back to
 * the last complete line (see jsonLines.ts), which this follows; a file replaced by a shorter
 * one is read again from the start. A complete line that is not JSON is skipped with a note when
 * `onNote` is given, else it is an error naming the line.
 */
export class JsonLinesTail {
  private offset = 0;
  private partial: Buffer = Buffer.alloc(0);
  private line = 0;

  constructor(
    readonly file: string,
    private readonly limits: TailLimits = DEFAULT_LIMITS,
    private readonly onNote?: NoteSink,
  ) {}

  /** The complete lines appended since the last call, parsed; at most `chunkBytes` are read. `more` when the file holds more. */
  read(): { values: unknown[]; more: boolean } {
    let size: number;
    try {
      size = fs.statSync(this.file).size;
    } catch {
      return { values: [], more: false };
    }
    if (size < this.offset) this.rewind(size);
    if (size === this.offset) return { values: [], more: false };
    const length = Math.min(size - this.offset, this.limits.chunkBytes);
    const chunk = Buffer.alloc(length);
    const fd = fs.openSync(this.file, 'r');
    let got: number;
    try {
      got = fs.readSync(fd, chunk, 0, length, this.offset);
    } finally {
      fs.closeSync(fd);
    }
    this.offset += got;
    const data = this.partial.length ? Buffer.concat([this.partial, chunk.subarray(0, got)]) : chunk.subarray(0, got);
    const values: unknown[] = [];
    let start = 0;
    for (let nl = data.indexOf(10); nl >= 0; nl = data.indexOf(10, start)) {
      this.line++;
      const text = data.toString('utf8', start, nl);
      start = nl + 1;
      if (text.trim() === '') continue;
      try {
        values.push(JSON.parse(text));
      } catch {
        const problem = `${this.file}:${this.line}: this line is not JSON, so the file is damaged`;
        if (!this.onNote) throw new StateDamagedError(this.file, `${problem}. Delete that line (or move the file away) and run the command again.`);
        this.onNote(`${problem}; it is skipped and the lines after it are read as usual.`);
      }
    }
    this.partial = Buffer.from(data.subarray(start));
    if (this.partial.length > this.limits.maxLineBytes) {
      throw new StateDamagedError(this.file, `${this.file}:${this.line + 1}: a line longer than ${this.limits.maxLineBytes} bytes, so the file is damaged; move it away to start a new log.`);
    }
    return { values, more: this.offset < size };
  }

  /** The file shrank: a torn tail was cut (keep our place before it), or the file was replaced (start over). */
  private rewind(size: number): void {
    const completeEnd = this.offset - this.partial.length;
    this.partial = Buffer.alloc(0);
    if (size >= completeEnd) {
      this.offset = completeEnd;
    } else {
      this.offset = 0;
      this.line = 0;
    }
  }
}
