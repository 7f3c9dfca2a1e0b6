import path from 'node:path';
import { JsonDocument, moveAside } from '../state/jsonDocument';
import type { NoteSink } from '../state/jsonLines';
import { STATE_DIR, WorkspaceState } from '../state/workspaceState';
import { failureLabel } from './labels';
import { applyOutcome, attachLesson, emptyPatternsFile, isPatternsFile, touchPattern } from './patterns';
import { PerformanceLog } from './performance';
import { retrieveLessonsFrom } from './retrieval';
import { SolutionCache } from './solutions';
import { compareText } from './text';
import type {
  FailureInput,
  Lesson,
  LessonInput,
  LessonOutcome,
  LessonQuery,
  LessonRetrieval,
  PatternRecord,
  PatternsFile,
  PerformanceEntry,
  PerformanceInput,
  RecurringFailure,
  SolutionInput,
  SolutionMatch,
  SolutionQuery,
  SolutionRecord,
} from './types';

export const LEARNING_DIR = path.join(STATE_DIR, 'learning');

export interface LearningDbOptions {
  /** The clock; tests pass their own. */
  now?: () => Date;
  /** Whom to tell about damaged lines skipped in the learning logs. */
  note?: NoteSink;
}

/**
 * What a workspace has learnt from its builds, in `.munero/learning/`: failure patterns with their
 * lessons, solutions that passed their checks, and per-build performance. One process uses it at a
 * time; the pattern database is kept in memory and written (atomically) after every change.
 * A corrupted `patterns.json` is moved aside and the constructor throws `StateCorruptError`.
 */
export class LearningDb {
  readonly dir: string;
  private readonly patterns: JsonDocument<PatternsFile>;
  private readonly solutions: SolutionCache;
  private readonly performance: PerformanceLog;
  private readonly now: () => Date;

  constructor(
    readonly workspaceRoot: string,
    options: LearningDbOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.dir = path.join(workspaceRoot, LEARNING_DIR);
    new WorkspaceState(workspaceRoot).ensureDir();
    const file = path.join(this.dir, 'patterns.json');
    this.patterns = new JsonDocument<PatternsFile>(file, emptyPatternsFile());
    if (!isPatternsFile(this.patterns.data)) throw moveAside(file, 'not a learning pattern database');
    this.solutions = new SolutionCache(path.join(this.dir, 'solutions.jsonl'), options.note);
    this.performance = new PerformanceLog(path.join(this.dir, 'performance.jsonl'), options.note);
  }

  recordFailure(input: FailureInput): PatternRecord {
    let pattern!: PatternRecord;
    this.patterns.update((d) => (pattern = touchPattern(d, input, this.stamp(), true)));
    return structuredClone(pattern);
  }

  /** Attaches a lesson (from a reflector) to the failure's pattern; an equal lesson is returned, not added twice. */
  addLesson(input: LessonInput): Lesson {
    let lesson!: Lesson;
    this.patterns.update((d) => {
      const at = this.stamp();
      lesson = attachLesson(touchPattern(d, input, at, false), input, at);
    });
    return structuredClone(lesson);
  }

  /** Records what followed an attempt that used these lessons. Unknown ids are ignored. */
  markOutcome(input: { lessonIds: string[]; outcome: LessonOutcome }): Lesson[] {
    const changed = applyOutcome(this.patterns.data, input.lessonIds, input.outcome, this.stamp());
    if (changed.length > 0) this.patterns.write();
    return structuredClone(changed);
  }

  retrieveLessons(query: LessonQuery): LessonRetrieval {
    return retrieveLessonsFrom(this.patterns.data.patterns, query);
  }

  /** Failures seen in at least `minTasks` distinct tasks, most widespread first. */
  recurringFailures(minTasks = 3): RecurringFailure[] {
    return this.patterns.data.patterns
      .filter((p) => p.tasks.length >= minTasks)
      .map((p) => ({ signature: p.signature, text: p.text, taskCount: p.tasks.length, label: failureLabel(p.text) }))
      .sort((a, b) => b.taskCount - a.taskCount || compareText(a.signature, b.signature));
  }

  recordSolution(input: SolutionInput): SolutionRecord {
    return this.solutions.record(input, this.stamp());
  }

  findSolutions(query: SolutionQuery): SolutionMatch[] {
    return this.solutions.find(query);
  }

  recordPerformance(entry: PerformanceInput): PerformanceEntry {
    return this.performance.record(entry, this.stamp());
  }

  performanceHistory(): PerformanceEntry[] {
    return this.performance.history();
  }

  /** Closes the append-only files; the database stays readable. */
  close(): void {
    this.solutions.close();
    this.performance.close();
  }

  private stamp(): string {
    return this.now().toISOString();
  }
}
