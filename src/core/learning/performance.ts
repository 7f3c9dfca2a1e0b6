import { JsonLinesWriter, readJsonLines } from '../state/jsonLines';
import type { PerformanceEntry, PerformanceInput } from './types';

/** `performance.jsonl`: one line per build, oldest first. */
export class PerformanceLog {
  private readonly writer: JsonLinesWriter;

  constructor(readonly file: string) {
    this.writer = new JsonLinesWriter(file);
  }

  record(input: PerformanceInput, at: string): PerformanceEntry {
    const entry: PerformanceEntry = { ...input, at: input.at ?? at };
    this.writer.append(entry);
    return entry;
  }

  history(): PerformanceEntry[] {
    return readJsonLines<PerformanceEntry>(this.file);
  }

  close(): void {
    this.writer.close();
  }
}
