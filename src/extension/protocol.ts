/**
 * The messages between the progress panel (webview-ui/) and the extension. The one file both
 * sides share: the panel knows these types and nothing of the core.
 */

export type TaskStatusView = 'pending' | 'running' | 'done' | 'failed' | 'blocked' | 'escalated';

export interface BuildView {
  id: string;
  specPath: string;
  status: string;
  iteration: number;
  maxIterations: number;
  maxCostUsd?: number;
  stopReason?: string;
}

export interface TaskView {
  id: string;
  title: string;
  status: TaskStatusView;
  attempts: number;
  requirements: string[];
  reason?: string;
}

export interface AgentView {
  id: string;
  role: string;
  taskId?: string;
  step: string;
  detail?: string;
}

export interface CheckView {
  scope: string;
  name: string;
  command: string;
  passed: boolean;
  exitCode: number | null;
  durationMs: number;
  failures: { name: string; message: string; file?: string; line?: number }[];
}

export interface UsageView {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costUsd: number;
  requests: number;
}

export interface TimelineEntry {
  seq: number;
  at: string;
  text: string;
  level: 'info' | 'warn' | 'error' | 'success';
}

/** A part of the build's wall time; the parts of a breakdown add up to its `wallMs`. */
export type WallPart = 'checks' | 'model' | 'tools' | 'waiting' | 'idle';

/** Where the current build's time went (the bar) and what cost it most (the lines under it). */
export interface BreakdownView {
  buildId: string;
  wallMs: number;
  parts: { part: WallPart; label: string; ms: number }[];
  /** Worst first, each with what would help. */
  bottlenecks: { kind: string; message: string; advice: string }[];
}

export type TrendMetric = 'costPerVerified' | 'iterationsPerRequirement' | 'checkMsPerTask' | 'firstAttemptPassRate';

/** One figure over the last builds; `null` where a build has none (nothing verified, or recorded before it was measured). */
export interface TrendSeriesView {
  metric: TrendMetric;
  label: string;
  unit: 'usd' | 'count' | 'ms' | 'ratio';
  values: (number | null)[];
}

/** The last builds of the workspace's performance history, oldest first. */
export interface TrendsView {
  builds: string[];
  series: TrendSeriesView[];
}

/** Everything the panel shows. Sent whole only on (re)load; after that, patches. */
export interface PanelState {
  build: BuildView | null;
  tasks: TaskView[];
  agents: AgentView[];
  checks: CheckView[];
  usage: UsageView;
  timeline: TimelineEntry[];
  /** Streamed model text per agent, tail-capped. */
  output: Record<string, string>;
  /** Recomputed at milestones (a task or a check run finished, the build finished), never per token. */
  breakdown: BreakdownView | null;
  trends: TrendsView;
}

export interface PanelPatch {
  build?: BuildView | null;
  /** Upserts by id. */
  tasks?: TaskView[];
  /** Upserts by id. */
  agents?: AgentView[];
  /** Replaces the checks shown. */
  checks?: CheckView[];
  usage?: UsageView;
  /** Appended; the panel drops the oldest beyond the limit. */
  timeline?: TimelineEntry[];
  /** Text appended to an agent's output. */
  output?: { agentId: string; text: string }[];
  breakdown?: BreakdownView | null;
  trends?: TrendsView;
}

export type ToPanel = { type: 'reset'; state: PanelState } | { type: 'patch'; patch: PanelPatch };

export type PanelCommand = 'resume' | 'cancel' | 'showReport' | 'openSpec';

export type FromPanel =
  | { type: 'ready' }
  | { type: 'command'; command: PanelCommand }
  | { type: 'openFile'; path: string; line?: number };

/** Memory bounds, so a 10,000-event build never greys out the panel. */
export const PANEL_LIMITS = {
  timeline: 400,
  outputCharsPerAgent: 16_000,
  agents: 40,
  /** Builds shown in the trend charts. */
  trendBuilds: 20,
  /** Patches are batched at most this often. */
  flushMs: 100,
} as const;
