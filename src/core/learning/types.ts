import type { BuildOutcome, UsageTotals } from '../events/types';
import type { RequirementVerdict } from '../state/buildState';

export interface Lesson {
  id: string;
  text: string;
  root_cause: string;
  /** Times a passing check followed the use of this lesson. */
  promoted: number;
  /** Times the same failure followed the use of this lesson. */
  demoted: number;
  createdAt: string;
  lastUsed?: string;
}

export interface PatternRecord {
  signature: string;
  /** A representative normalised failure text. */
  text: string;
  occurrences: number;
  firstSeen: string;
  lastSeen: string;
  /** "<buildId>/<taskId>", oldest first. */
  tasks: string[];
  lessons: Lesson[];
}

export interface PatternsFile {
  version: 1;
  patterns: PatternRecord[];
}

export interface FailureInput {
  signature: string;
  failureText: string;
  buildId: string;
  taskId: string;
}

export interface LessonInput extends FailureInput {
  lesson: string;
  rootCause: string;
}

export type LessonOutcome = 'passed' | 'same_failure' | 'other_failure';

export interface LessonQuery {
  failureText: string;
  signature?: string;
  taskText?: string;
  maxTokens: number;
}

export interface RetrievedLesson {
  id: string;
  text: string;
  score: number;
  similarity: number;
  fromSignature: string;
}

export interface LessonRetrieval {
  lessons: RetrievedLesson[];
  tokens: number;
}

export interface RecurringFailure {
  signature: string;
  text: string;
  taskCount: number;
  label: string;
}

export interface TaskDescription {
  id: string;
  title: string;
  description: string;
  requirementTexts: string[];
}

export interface SolutionInput {
  task: TaskDescription;
  changeSummary: string;
  files: string[];
  /** The check commands that verified the change. */
  checks: string[];
  buildId: string;
  /** The change as a unified diff, bounded; offered to coders of similar tasks later. */
  change?: string;
}

export interface SolutionRecord {
  taskSignature: string;
  tokens: string[];
  title: string;
  changeSummary: string;
  files: string[];
  checks: string[];
  buildId: string;
  at: string;
  change?: string;
}

export interface SolutionQuery {
  task: TaskDescription;
  maxResults?: number;
  minSimilarity?: number;
}

export type SolutionMatch = SolutionRecord & { similarity: number };

export interface PerformanceEntry {
  buildId: string;
  specPath: string;
  outcome: BuildOutcome;
  iterations: number;
  usage: UsageTotals;
  durationMs: number;
  requirements: { id: string; verdict: RequirementVerdict['verdict'] }[];
  at: string;
  /** Tasks attempted, and of them those that passed on their first attempt (absent in builds before issue 12). */
  tasks?: number;
  firstAttemptPasses?: number;
  /** Time the checks ran, summed over runs. */
  checkMs?: number;
}

export type PerformanceInput = Omit<PerformanceEntry, 'at'> & { at?: string };
