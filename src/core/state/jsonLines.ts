import fs from 'node:fs';
import path from 'node:path';

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
      this.fd = fs.openSync(this.file, 'a');
    }
    fs.writeSync(this.fd, JSON.stringify(value) + '\n');
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
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
