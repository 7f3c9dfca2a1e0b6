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
  /** The price of the model that will answer it. */
  price: ModelPrice;
}

interface Reservation {
  costUsd: number;
  tokens: number;
}

/**
 * Stops work before a request that could pass a cap. The estimate is the worst case (all input
 * billed at the dearer of the input and cache-write prices, the full max_tokens of output), and
 * requests in flight hold their estimate until they answer, so parallel agents cannot together
 * pass a cap each would have respected alone.
 */
export class BudgetGuard {
  private readonly inFlight = new Set<Reservation & { taskId?: string }>();

  constructor(
    private readonly state: () => BuildState,
    private readonly runStartedAt: number,
  ) {}

  /** Checks the caps and reserves the request's worst case; call the returned function when it answers or fails. */
  beforeRequest(taskId: string | undefined, estimate: RequestEstimate): () => void {
    const s = this.state();
    const o = s.options;
    const inputPrice = Math.max(estimate.price.input, estimate.price.cacheWrite);
    const cost = (estimate.inputTokens * inputPrice + estimate.maxOutputTokens * estimate.price.output) / 1_000_000;
    const tokens = estimate.inputTokens + estimate.maxOutputTokens;
    const held = (filter: (r: { taskId?: string }) => boolean) => {
      let costUsd = 0;
      let t = 0;
      for (const r of this.inFlight) if (filter(r)) (costUsd += r.costUsd), (t += r.tokens);
      return { costUsd, tokens: t };
    };
    const buildHeld = held(() => true);
    this.check('build', 'the build', { costUsd: o.maxCostUsd, tokens: o.maxTokens, minutes: o.maxMinutes }, s.usage, buildHeld, (s.elapsedMs ?? 0) + this.activeMs(), cost, tokens);
    if (taskId && o.taskCaps) {
      const t = s.tasks[taskId];
      this.check('task', `task ${taskId}`, o.taskCaps, t?.usage, held((r) => r.taskId === taskId), (t?.elapsedMs ?? 0) + this.taskRunning(taskId), cost, tokens);
    }
    const reservation = { costUsd: cost, tokens, taskId };
    this.inFlight.add(reservation);
    return () => this.inFlight.delete(reservation);
  }

  private readonly taskStarts = new Map<string, number>();
  /** Per task: milliseconds of its current attempt spent waiting for the user's review. */
  private readonly taskWaited = new Map<string, number>();
  private readonly waitingSince = new Map<string, number>();
  /** Time when every running task waited for review: the build did no work, so it is not counted. */
  private buildIdleMs = 0;
  private buildIdleSince: number | undefined;

  taskStarted(taskId: string): void {
    this.taskStarts.set(taskId, Date.now());
    this.taskWaited.set(taskId, 0);
    this.noteIdle();
  }

  /** Milliseconds the task's current attempt has run, waiting for review aside; added to its elapsed time when it ends. */
  taskStopped(taskId: string): number {
    const ms = this.taskRunning(taskId);
    this.taskStarts.delete(taskId);
    this.taskWaited.delete(taskId);
    this.noteIdle();
    return ms;
  }

  /** A task's agent waits for the user's review; budgets stop counting its time until the returned function is called. */
  waitStarted(taskId: string | undefined): () => void {
    if (!taskId || this.waitingSince.has(taskId)) return () => {};
    this.waitingSince.set(taskId, Date.now());
    this.noteIdle();
    return () => {
      const since = this.waitingSince.get(taskId);
      this.waitingSince.delete(taskId);
      if (since !== undefined && this.taskWaited.has(taskId)) this.taskWaited.set(taskId, this.taskWaited.get(taskId)! + Date.now() - since);
      this.noteIdle();
    };
  }

  /** Milliseconds this run has counted against the build's time cap. */
  activeMs(): number {
    const idle = this.buildIdleMs + (this.buildIdleSince === undefined ? 0 : Date.now() - this.buildIdleSince);
    return Date.now() - this.runStartedAt - idle;
  }

  private noteIdle(): void {
    const idle = this.waitingSince.size > 0 && [...this.taskStarts.keys()].every((id) => this.waitingSince.has(id));
    if (idle && this.buildIdleSince === undefined) this.buildIdleSince = Date.now();
    if (!idle && this.buildIdleSince !== undefined) {
      this.buildIdleMs += Date.now() - this.buildIdleSince;
      this.buildIdleSince = undefined;
    }
  }

  private taskRunning(taskId: string): number {
    const start = this.taskStarts.get(taskId);
    if (start === undefined) return 0;
    const since = this.waitingSince.get(taskId);
    return Date.now() - start - (this.taskWaited.get(taskId) ?? 0) - (since === undefined ? 0 : Date.now() - since);
  }

  private check(
    scope: 'build' | 'task',
    what: string,
    caps: Caps,
    used: { costUsd: number; inputTokens: number; outputTokens: number; cacheReadTokens: number; cacheWriteTokens: number } | undefined,
    held: Reservation,
    elapsedMs: number,
    nextCost: number,
    nextTokens: number,
  ): void {
    const spent = (used?.costUsd ?? 0) + held.costUsd;
    const tokens = (used ? used.inputTokens + used.outputTokens + used.cacheReadTokens + used.cacheWriteTokens : 0) + held.tokens;
    if (caps.costUsd !== undefined && spent + nextCost > caps.costUsd) {
      throw new BudgetExceededError(scope, 'max-cost-usd', `${what} stopped at its cost cap of $${caps.costUsd.toFixed(2)}: $${spent.toFixed(4)} spent or held by requests in flight, and the next request could cost up to $${nextCost.toFixed(4)}.`);
    }
    if (caps.tokens !== undefined && tokens + nextTokens > caps.tokens) {
      throw new BudgetExceededError(scope, 'max-tokens', `${what} stopped at its token cap of ${caps.tokens}: ${tokens} used or held by requests in flight, and the next request could use up to ${nextTokens}.`);
    }
    if (caps.minutes !== undefined && elapsedMs >= caps.minutes * 60_000) {
      throw new BudgetExceededError(scope, 'max-minutes', `${what} stopped at its time cap of ${caps.minutes} minutes.`);
    }
  }
}
