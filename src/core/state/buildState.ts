import type { BuildOutcome, CheckSummary, TaskStatus, UsageTotals } from '../events/types';
import type { ReviewMode } from '../review/types';

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
  /** What the user said in review (hunks undone, and why), not yet told to the task's agent. */
  reviewFeedback?: string[];
  /** Files the task's accepted changes touched. */
  files?: string[];
  /** The checkpoint the files were at when the task's first attempt started (the base of its diff). */
  checkpointBefore?: string;
  /** The iteration of the latest attempt: a resumed iteration does not attempt a task twice. */
  iteration?: number;
  /** A failed attempt not yet followed up (guards, reflection, what it asks); a resume does it first. */
  followUp?: FailureFollowUp;
}

/** What following up a failed attempt needs, kept with the failure so an interruption cannot lose it. */
export interface FailureFollowUp {
  attempt: number;
  failure: string;
  signature: string;
  /** The agents whose changes made the attempt, for the reflector's view of the change. */
  agentIds: string[];
  /** The agent repeated itself: the loop guard escalates at once. */
  looped?: boolean;
}

export interface RequirementVerdict {
  id: string;
  title: string;
  range: { startLine: number; endLine: number };
  /** `passed-untraced`: its tasks are done and the checks pass, but no passing test names it. */
  verdict: 'verified' | 'passed-untraced' | 'unverified' | 'failed';
  reason?: string;
  /** The named check that exercised it, when verified. */
  verifiedBy?: string;
  /** Names of the passing tests that name the requirement's id (traceability). */
  tests?: string[];
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
  /** False: a requirement is verified by passing checks without a test naming it. Absent: tracing required. */
  traceability?: boolean;
  /** How agents' changes reach the disk: at once, at once under review, or once approved. Absent: auto. */
  reviewMode?: ReviewMode;
  /** The user approves weakened or deleted tests up front (`--allow-test-changes`). */
  allowTestChanges?: boolean;
  /** The requirement ids `--only` selected; a resume builds the same ones. Absent: all. */
  only?: string[];
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
  /** The newest checkpoint the files were at: made after a task or iteration, or restored. */
  lastCheckpoint?: string;
  /** How commands were confined in the latest run (an OS sandbox, or off by the user's choice). */
  sandbox?: { kind: 'on' | 'off' | 'unavailable'; detail: string };
  /** The checks that judge this build, fixed when it started (absent in builds from before). */
  judge?: JudgeState;
  /** This document was rebuilt from the build's logs and checkpoints after the original was damaged. */
  recovered?: RecoveredState;
  /** The files were rolled back (without the task state), so the verdicts describe files no longer there. */
  rolledBack?: { checkpoint: string; at: string; files: number; undo?: string };
}

export interface RecoveredState {
  at: string;
  /** Where the damaged document was moved. */
  movedTo?: string;
  /** What it was rebuilt from, for people. */
  from: string[];
  /** What could not be rebuilt, for people. */
  lost: string[];
}

/** One check as frozen: what was configured, what actually runs, and where that came from. */
export interface FrozenCheck {
  name: 'test' | 'typecheck' | 'lint';
  /** As configured, e.g. `npm test`. */
  command: string;
  /** What runs: the package.json script text recorded at the start, or the command itself. */
  run: string;
  /** Where `run` came from, for people. */
  source: string;
  /** The script it names did not exist at the start; it is frozen at the first run that finds it. */
  pending?: boolean;
  /** When a pending check was frozen: by which check run, and when. */
  frozenLater?: { scope: string; at: string };
}

/** What a test file held when the judge was frozen. */
export interface TestFileRecord {
  sha: string;
  cases: number;
  assertions: number;
  /** Skip/only/todo markers by kind, e.g. `{ ".skip": 1 }`. */
  markers: Record<string, number>;
}

/** A change to a test or to the judge's configuration that could make a failing build look verified. */
export interface TestChangeFlag {
  id: string;
  kind: 'deleted' | 'weakened' | 'changed' | 'config';
  /** Workspace-relative file (for config, the file or `package.json#key`). */
  file: string;
  /** What changed, in a few words: "2 assertions fewer", ".skip added", "deleted". */
  change: string;
  taskId?: string;
  /** Requirements the file mentioned by id before the change (see heldRequirements for the rest). */
  requirements: string[];
  /** The blob of the file as it was before the change, for a diff. */
  beforeBlob?: string;
  at: string;
  approved?: { by: 'user' | 'allow-test-changes'; at: string };
  /** The file was put back as it was, so the flag no longer holds anything. */
  restored?: boolean;
}

export interface JudgeState {
  frozenAt: string;
  checks: FrozenCheck[];
  /** No test command existed at the start: the first check run that has one freezes it. */
  testPending?: boolean;
  /** Fingerprints of the judge's configuration: file (or `package.json#key`) → sha256. */
  config: Record<string, string>;
  /** Tools whose configuration is watched (mocha, jest, tsc, eslint…): a new file of theirs is a change too. */
  configKinds: string[];
  /** Test files that existed at the start, by workspace-relative path. */
  testFiles: Record<string, TestFileRecord>;
  /** More test files existed than are recorded. */
  testFilesCapped?: boolean;
  flags: TestChangeFlag[];
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
