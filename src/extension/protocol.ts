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
  /** Patches are batched at most this often. */
  flushMs: 100,
} as const;
