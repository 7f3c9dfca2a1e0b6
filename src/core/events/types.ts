/** Every notification Munero makes. UIs (terminal, tree, panel) are projections of these. */

export type BuildOutcome = 'verified' | 'unmet' | 'paused' | 'cancelled' | 'failed';
export type TaskStatus = 'pending' | 'running' | 'done' | 'failed' | 'blocked' | 'escalated';
export type AgentStep = 'idle' | 'thinking' | 'acting' | 'waiting' | 'done' | 'failed';

export interface UsageTotals {
  inputTokens: number;
  outputTokens: number;
  cacheWriteTokens: number;
  cacheReadTokens: number;
  costUsd: number;
  requests: number;
}

export interface CheckSummary {
  name: string;
  command: string;
  exitCode: number | null;
  passed: boolean;
  durationMs: number;
  failures: { name: string; message: string; file?: string; line?: number }[];
  /** Names of the tests the runner printed as passing (traceability: tests that name a requirement). */
  passedTests?: string[];
  /** CPU time (user + system) of the command's processes, sampled; absent where it cannot be measured. */
  cpuMs?: number;
  /** Largest resident memory of the command's processes together, sampled; absent where it cannot be measured. */
  peakRssBytes?: number;
}

/** What a check run's tests cover: the tests a task's change can affect (the frozen test command narrowed), or the whole suite, with why. */
export type TestSelection =
  | { mode: 'full'; reason: string }
  | { mode: 'affected'; runner: string; run: string; tests: string[]; why: Record<string, string>; total: number };

export type MuneroEventBody =
  | { type: 'build.started'; buildId: string; specPath: string; requirementIds: string[]; resumed: boolean }
  | { type: 'build.finished'; buildId: string; outcome: BuildOutcome; summary: string; unmet: string[] }
  | { type: 'plan.accepted'; version: number; tasks: { id: string; title: string; requirements: string[]; dependsOn: string[] }[] }
  | { type: 'plan.rejected'; attempt: number; errors: string[] }
  | { type: 'plan.revised'; version: number; reason: string; added: string[]; removed: string[]; changed: string[] }
  | { type: 'reflection'; taskId: string; attempt: number; rootCause: string; lesson: string; nextAction: string }
  | { type: 'review'; taskId: string; approved: boolean; reasons: string }
  | { type: 'learning'; message: string }
  | { type: 'requirement.verdict'; id: string; verdict: 'verified' | 'passed-untraced' | 'unverified' | 'failed'; reason?: string; verifiedBy?: string; tests?: string[] }
  | { type: 'budget'; scope: string; cap: string; message: string }
  | { type: 'iteration.started'; iteration: number }
  | { type: 'iteration.finished'; iteration: number; passed: boolean }
  | { type: 'task.started'; taskId: string; attempt: number }
  | { type: 'task.finished'; taskId: string; status: TaskStatus; attempt: number; reason?: string }
  | { type: 'agent.state'; agentId: string; role: string; taskId?: string; step: AgentStep; detail?: string }
  | { type: 'agent.text'; agentId: string; taskId?: string; delta: string }
  | { type: 'tool.called'; agentId: string; taskId?: string; tool: string; summary: string }
  | { type: 'tool.result'; agentId: string; taskId?: string; tool: string; ok: boolean; summary: string; durationMs?: number }
  | { type: 'change.applied'; changeId: string; taskId?: string; path: string; created: boolean }
  /** The review snapshot changed (a proposal, an applied change under review, a decision). */
  | { type: 'review.changed'; pendingCount: number; paths: string[] }
  | { type: 'judge.frozen'; checks: { name: string; command: string; run: string; source: string }[]; testFiles: number; later?: string }
  | { type: 'test.flagged'; flagId: string; kind: 'deleted' | 'weakened' | 'changed' | 'config'; file: string; change: string; taskId?: string }
  | { type: 'test.approved'; flagId: string; file: string; by: 'user' | 'allow-test-changes' }
  | { type: 'validation.started'; scope: string; checks: string[]; selection?: TestSelection }
  | { type: 'validation.finished'; scope: string; passed: boolean; checks: CheckSummary[] }
  /** One model response; `durationMs` from sending the request to the complete message, `firstTokenMs` to its first streamed event. */
  | { type: 'usage'; agentId: string; role?: string; taskId?: string; model: string; request: UsageTotals; build: UsageTotals; durationMs?: number; firstTokenMs?: number }
  | { type: 'retry'; agentId: string; attempt: number; delayMs: number; reason: string }
  /** An earlier verified change offered to a task's coder as a reference (solution cache). */
  | { type: 'solution.offered'; taskId: string; attempt: number; fromBuild: string; title: string; similarity: number }
  /** The engine's own resource use over this run of the build, and the size of `.munero/` at its end. */
  | { type: 'resources'; enginePeakRssBytes: number; enginePeakHeapBytes: number; engineCpuMs: number; stateBytes: number; notMeasured: string[] }
  | { type: 'mcp.server'; server: string; state: 'stopped' | 'starting' | 'ready' | 'failed'; tools: number; error?: string }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string };

export type MuneroEventType = MuneroEventBody['type'];

/** An event as published: numbered and timestamped by the bus. */
export type MuneroEvent = MuneroEventBody & { seq: number; at: string };

export type EventOf<T extends MuneroEventType> = Extract<MuneroEvent, { type: T }>;
