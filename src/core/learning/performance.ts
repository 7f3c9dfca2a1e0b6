import { JsonLinesWriter, readJsonLines, type NoteSink } from '../state/jsonLines';
import type { PerformanceEntry, PerformanceInput } from './types';

/** `performance.jsonl`: one line per build, oldest first. */
export class PerformanceLog {
  private readonly writer: JsonLinesWriter;

  constructor(
    readonly file: string,
    /** Damaged lines are skipped with a note: what was learnt is a help, not a build's state. */
    private readonly note?: NoteSink,
  ) {
    this.writer = new JsonLinesWriter(file);
  }

  record(input: PerformanceInput, at: string): PerformanceEntry {
    const entry: PerformanceEntry = { ...input, at: input.at ?? at };
    this.writer.append(entry);
    return entry;
  }

  history(): PerformanceEntry[] {
    return readJsonLines<PerformanceEntry>(this.file, this.note ?? (() => {}));
  }

  close(): void {
    this.writer.close();
  }
}
