import type { BuildOutcome, CheckSummary, TaskStatus, UsageTotals } from '../events/types';

export const STATE_SCHEMA = 1;

export type BuildStatus = 'running' | BuildOutcome;

export interface PlanTask {
  id: string;
  title: string;
  description: string;
  requirements: string[];
  depends_on: string[];
  files: string[];
}

export type NextAction = 'retry' | 'split' | 'replan' | 'escalate';

/** A reflector agent's account of one failed attempt. */
export interface Reflection {
  attempt: number;
  root_cause: string;
  lesson: string;
  next_action: NextAction;
  at: string;
}

export interface TaskState {
  status: TaskStatus;
  attempts: number;
  /** Compact account of the last failure, fed to the next attempt. */
  lastFailure?: string;
  /** The last failure in one line, for people. */
  failureHeadline?: string;
  /** Signatures of this task's failed attempts, oldest first. */
  signatures?: string[];
  /** Fewest failing tests seen so far, for the no-progress guard. */
  bestFailing?: number;
  /** Attempts in a row without a new passing check. */
  stalled?: number;
  reflections?: Reflection[];
  /** Learning-database lessons given to the current attempt, scored by its outcome. */
  lessonsInUse?: string[];
  usage?: UsageTotals;
  /** Wall time spent in this task's attempts. */
  elapsedMs?: number;
  /** Why the task was escalated (stopped while the rest go on). */
  escalated?: string;
  summary?: string;
  /** Files the task's accepted changes touched. */
  files?: string[];
}

export interface RequirementVerdict {
  id: string;
  title: string;
  range: { startLine: number; endLine: number };
  verdict: 'verified' | 'unverified' | 'failed';
  reason?: string;
  /** The named check that exercised it, when verified. */
  verifiedBy?: string;
}

export interface Caps {
  costUsd?: number;
  tokens?: number;
  minutes?: number;
}

export interface BuildOptions {
  model: string;
  maxIterations: number;
  maxCostUsd?: number;
  maxTurnsPerTask: number;
  /** Further caps for the whole build (cost is `maxCostUsd`). */
  maxTokens?: number;
  maxMinutes?: number;
  /** Caps for any one task; a task past them is escalated while the rest go on. */
  taskCaps?: Caps;
  /** Ready tasks that may run at once. */
  parallel?: number;
  reflection?: boolean;
  reviewer?: boolean;
}

/** What one iteration did, aggregated for the report. */
export interface IterationSummary {
  iteration: number;
  tasks: Record<string, string>;
  checksPassed: boolean;
  costUsd: number;
  at: string;
}

export interface PlanVersion {
  version: number;
  tasks: PlanTask[];
  reason: string;
  at: string;
}

/** The current-state document of one build: `.munero/builds/<id>/build.json`. */
export interface BuildState {
  schema: number;
  id: string;
  specPath: string;
  specSha256: string;
  createdAt: string;
  updatedAt: string;
  status: BuildStatus;
  /** Why the build stopped (or paused), in a sentence. */
  stopReason?: string;
  options: BuildOptions;
  requirements: RequirementVerdict[];
  plan?: { version: number; tasks: PlanTask[] };
  /** Every plan version, oldest first; the report shows how the plan changed and why. */
  planHistory?: PlanVersion[];
  iterations?: IterationSummary[];
  /** A plan revision asked for and not yet made (kept so a resume carries it out). */
  pendingReplan?: { reason: string; action: 'split' | 'replan' };
  /** Wall time of earlier runs of this build (before a resume). */
  elapsedMs?: number;
  tasks: Record<string, TaskState>;
  /** The number of the current (or last) iteration. */
  iteration: number;
  /** True from an iteration's start until its final checks are recorded. */
  iterationOpen: boolean;
  lastChecks?: CheckSummary[];
  usage: UsageTotals;
  usageByAgent: Record<string, UsageTotals>;
  checkpoints: string[];
}

export function emptyUsage(): UsageTotals {
  return { inputTokens: 0, outputTokens: 0, cacheWriteTokens: 0, cacheReadTokens: 0, costUsd: 0, requests: 0 };
}

export function addUsage(into: UsageTotals, add: UsageTotals): void {
  into.inputTokens += add.inputTokens;
  into.outputTokens += add.outputTokens;
  into.cacheWriteTokens += add.cacheWriteTokens;
  into.cacheReadTokens += add.cacheReadTokens;
  into.costUsd += add.costUsd;
  into.requests += add.requests;
}

/** One line of `.munero/history.jsonl`, written when a build stops. */
export interface HistoryEntry {
  buildId: string;
  specPath: string;
  startedAt: string;
  endedAt: string;
  status: BuildStatus;
  iterations: number;
  usage: UsageTotals;
  unmet: string[];
}
