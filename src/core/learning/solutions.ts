import { createHash } from 'node:crypto';
import { JsonLinesWriter, readJsonLines, type NoteSink } from '../state/jsonLines';
import { compareText, jaccard, normaliseFailureText, tokenSet } from './text';
import type { SolutionInput, SolutionMatch, SolutionQuery, SolutionRecord, TaskDescription } from './types';

/** A task's identity across plans and builds: a hash of its normalised text, plus its words for similarity. */
export function taskSignature(task: TaskDescription): { taskSignature: string; tokens: string[] } {
  const text = normaliseFailureText([task.title, task.description, ...task.requirementTexts].join('\n'));
  return {
    taskSignature: createHash('sha1').update(text).digest('hex').slice(0, 16),
    tokens: [...tokenSet(text)].sort(),
  };
}

/** `solutions.jsonl`: what verified each task before, read once and then kept in memory. */
export class SolutionCache {
  private readonly writer: JsonLinesWriter;
  private records: SolutionRecord[] | undefined;

  constructor(
    readonly file: string,
    /** Damaged lines are skipped with a note: what was learnt is a help, not a build's state. */
    private readonly note?: NoteSink,
  ) {
    this.writer = new JsonLinesWriter(file);
  }

  record(input: SolutionInput, at: string): SolutionRecord {
    const record: SolutionRecord = {
      ...taskSignature(input.task),
      title: input.task.title,
      changeSummary: input.changeSummary,
      files: [...input.files],
      checks: [...input.checks],
      buildId: input.buildId,
      at,
      ...(input.change !== undefined ? { change: input.change } : {}),
    };
    const records = this.load(); // before the append, which would otherwise be read back as well
    this.writer.append(record);
    records.push(record);
    return structuredClone(record);
  }

  find({ task, maxResults = 3, minSimilarity = 0.5 }: SolutionQuery): SolutionMatch[] {
    const query = taskSignature(task);
    const queryTokens = new Set(query.tokens);
    const latest = new Map<string, SolutionRecord>();
    for (const r of this.load()) latest.set(r.taskSignature, r);
    const matches: SolutionMatch[] = [];
    for (const r of latest.values()) {
      const similarity = r.taskSignature === query.taskSignature ? 1 : jaccard(queryTokens, new Set(r.tokens));
      if (similarity >= minSimilarity) matches.push({ ...structuredClone(r), similarity });
    }
    matches.sort((a, b) => b.similarity - a.similarity || compareText(b.at, a.at) || compareText(a.taskSignature, b.taskSignature));
    return matches.slice(0, maxResults);
  }

  close(): void {
    this.writer.close();
  }

  private load(): SolutionRecord[] {
    this.records ??= readJsonLines<SolutionRecord>(this.file, this.note ?? (() => {}));
    return this.records;
  }
}
