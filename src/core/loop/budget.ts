import type { ModelPrice } from '../llm/pricing';
import type { BuildState, Caps } from '../state/buildState';

/** A cap that stopped work. `scope` says whether the whole build stops or one task. */
export class BudgetExceededError extends Error {
  constructor(
    readonly scope: 'build' | 'task',
    readonly cap: string,
    message: string,
  ) {
    super(message);
    this.name = 'BudgetExceededError';
  }
}

export interface RequestEstimate {
  inputTokens: number;
  /** The request's max_tokens: the most it can produce. */
  maxOutputTokens: number;
}

/**
 * Stops work before a request that could pass a cap. The estimate is the worst case (all input
 * uncached, the full max_tokens of output), so a cap is never passed, only approached.
 */
export class BudgetGuard {
  constructor(
    private readonly state: () => BuildState,
    private readonly price: ModelPrice,
    private readonly runStartedAt: number,
  ) {}

  beforeRequest(taskId: string | undefined, estimate: RequestEstimate): void {
    const s = this.state();
    const o = s.options;
    const cost = (estimate.inputTokens * this.price.input + estimate.maxOutputTokens * this.price.output) / 1_000_000;
    const tokens = estimate.inputTokens + estimate.maxOutputTokens;
    this.check('build', 'the build', { costUsd: o.maxCostUsd, tokens: o.maxTokens, minutes: o.maxMinutes }, s.usage, (s.elapsedMs ?? 0) + Date.now() - this.runStartedAt, cost, tokens);
    if (taskId && o.taskCaps) {
      const t = s.tasks[taskId];
      this.check('task', `task ${taskId}`, o.taskCaps, t?.usage, (t?.elapsedMs ?? 0) + this.taskRunning(taskId), cost, tokens);
    }
  }

  private readonly taskStarts = new Map<string, number>();

  taskStarted(taskId: string): void {
    this.taskStarts.set(taskId, Date.now());
  }

  /** Milliseconds the task's current attempt has run; added to its elapsed time when it ends. */
  taskStopped(taskId: string): number {
    const ms = this.taskRunning(taskId);
    this.taskStarts.delete(taskId);
    return ms;
  }

  private taskRunning(taskId: string): number {
    const start = this.taskStarts.get(taskId);
    return start === undefined ? 0 : Date.now() - start;
  }

  private check(
    scope: 'build' | 'task',
    what: string,
    caps: Caps,
    used: { costUsd: number; inputTokens: number; outputTokens: number; cacheReadTokens: number; cacheWriteTokens: number } | undefined,
    elapsedMs: number,
    nextCost: number,
    nextTokens: number,
  ): void {
    const spent = used?.costUsd ?? 0;
    const tokens = used ? used.inputTokens + used.outputTokens + used.cacheReadTokens + used.cacheWriteTokens : 0;
    if (caps.costUsd !== undefined && spent + nextCost > caps.costUsd) {
      throw new BudgetExceededError(scope, 'max-cost-usd', `${what} stopped at its cost cap of $${caps.costUsd.toFixed(2)}: $${spent.toFixed(4)} spent, and the next request could cost up to $${nextCost.toFixed(4)}.`);
    }
    if (caps.tokens !== undefined && tokens + nextTokens > caps.tokens) {
      throw new BudgetExceededError(scope, 'max-tokens', `${what} stopped at its token cap of ${caps.tokens}: ${tokens} used, and the next request could use up to ${nextTokens}.`);
    }
    if (caps.minutes !== undefined && elapsedMs >= caps.minutes * 60_000) {
      throw new BudgetExceededError(scope, 'max-minutes', `${what} stopped at its time cap of ${caps.minutes} minutes.`);
    }
  }
}
