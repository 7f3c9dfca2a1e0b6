/**
 * Where a build's time and money went, and how builds trend: the data the report, `munero status
 * --json`, `munero stats` and the VS Code Progress panel show. Plain JSON (no Dates, no Maps), so
 * it crosses the webview message boundary as is. Durations are milliseconds, money is USD.
 */

/** The build's wall time split so that each instant counts once: the parts add up to `wallMs`. */
export interface WallTimeSplit {
  /** Checks running (the project's test, typecheck and lint commands). */
  checksMs: number;
  /** A model request in flight (and no check running). */
  modelMs: number;
  /** An agent's tool call running (and no check or model request). */
  toolsMs: number;
  /** Only waiting: for a review decision or a retry's backoff. */
  waitingMs: number;
  /** Nothing of the above: the engine's own bookkeeping (state, checkpoints, scheduling). */
  idleMs: number;
}

export interface ModelTime {
  requests: number;
  /** Summed over requests (parallel agents overlap, so this may exceed the wall time). */
  totalMs: number;
  /** From sending a request to its first streamed event. */
  firstTokenMs: number;
  /** From the first streamed event to the complete message. */
  streamingMs: number;
  byRole: { role: string; requests: number; totalMs: number }[];
}

export interface ToolTime {
  tool: string;
  calls: number;
  failed: number;
  totalMs: number;
}

export interface CheckTime {
  name: string;
  command: string;
  runs: number;
  failed: number;
  totalMs: number;
  /** CPU time (user + system) of the command's processes, when it could be measured. */
  cpuMs?: number;
  /** The largest resident memory the command's processes reached together, when measured. */
  peakRssBytes?: number;
}

/** Time something waited, summed over agents and tasks. */
export interface WaitTime {
  /** An agent's change waiting for the user's decision. */
  reviewMs: number;
  /** A ready task waiting for a free slot (or for a task touching the same files). */
  slotMs: number;
  /** A model request waiting out a retry's backoff. */
  retryBackoffMs: number;
  /** The build waiting for the workspace's build lock (0: a held lock refuses the build instead). */
  lockMs: number;
}

/** Tokens and cost of one agent role, task or requirement. */
export interface CostRow {
  key: string;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

export interface ResourceUsage {
  /** Largest resident memory of the engine process seen during the build (sampled). */
  enginePeakRssBytes?: number;
  /** Largest JS heap in use by the engine seen during the build (sampled). */
  enginePeakHeapBytes?: number;
  /** CPU time (user + system) of the engine over the build. */
  engineCpuMs?: number;
  /** CPU time of every check run, summed, when measured. */
  checksCpuMs?: number;
  /** Largest resident memory of one check run's processes, when measured. */
  checksPeakRssBytes?: number;
  /** Size of the workspace's `.munero/` at the end of the build. */
  stateBytes?: number;
  /** What could not be measured here, in words (e.g. commands' memory on a platform without /proc). */
  notMeasured: string[];
}

export interface TaskTiming {
  taskId: string;
  attempts: number;
  /** Time the task's attempts ran (agent, tools, its checks), summed. */
  activeMs: number;
  costUsd: number;
}

export interface CriticalPath {
  /** The chain of dependent tasks that took the longest, first to last. */
  tasks: string[];
  ms: number;
}

export interface Bottleneck {
  kind: 'checks' | 'model' | 'tools' | 'waiting' | 'retries' | 'parallelism' | 'idle';
  /** What cost the most, with figures: "checks took 62% of the wall time: 25 full-suite runs". */
  message: string;
  /** What would help: "enable affected-test runs". */
  advice: string;
  /** Share of the wall time (0..1), or the cost it caused, whichever applies. */
  share?: number;
  costUsd?: number;
}

/** Solution reuse: earlier verified changes offered to coders as a reference. */
export interface SolutionReuse {
  /** Task attempts given an earlier solution as a reference. */
  offered: number;
  /** Of those tasks, how many passed on their first attempt. */
  passedFirstAttempt: number;
  tasks: string[];
}

export interface BuildBreakdown {
  buildId: string;
  /** Each run of the build from its start to its end (a running build: to its latest event), review waits included, time between a pause and a resume not. */
  wallMs: number;
  wall: WallTimeSplit;
  model: ModelTime;
  tools: ToolTime[];
  checks: CheckTime[];
  /** Check runs of the whole suite, and of only the tests a task's change can affect. */
  checkRuns: { full: number; affected: number };
  waiting: WaitTime;
  /** Agents' busy time over wall time: how many of `slots` were in use on average. */
  parallelism: { slots: number; average: number };
  criticalPath: CriticalPath;
  tasks: TaskTiming[];
  cost: { totalUsd: number; byRole: CostRow[]; byTask: CostRow[]; byRequirement: CostRow[] };
  resources: ResourceUsage;
  solutionReuse: SolutionReuse;
  /** The few things that cost the most, worst first, each with what would help. */
  bottlenecks: Bottleneck[];
}

/** One finished build as the trends see it (from `.munero/learning/performance.jsonl`). */
export interface TrendPoint {
  buildId: string;
  at: string;
  outcome: string;
  requirements: number;
  verified: number;
  costUsd: number;
  durationMs: number;
  /** Cost per verified requirement; undefined when none was verified. */
  costPerVerified?: number;
  /** Iterations per requirement. */
  iterationsPerRequirement: number;
  /** Check time per task; undefined for builds recorded before checks were timed. */
  checkMsPerTask?: number;
  /** Tasks passing on their first attempt over tasks attempted; undefined for older builds. */
  firstAttemptPassRate?: number;
}

export interface BuildTrends {
  /** Oldest first, at most the last `limit` builds. */
  builds: TrendPoint[];
}
