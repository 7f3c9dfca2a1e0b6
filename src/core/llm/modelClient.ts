import Anthropic from '@anthropic-ai/sdk';
import type { UsageTotals } from '../events/types';
import type { ToolDefinition } from '../tools/types';
import { classifyError, ModelFatalError, ModelUnavailableError, type ErrorClass } from './errors';
import { describeModels } from './modelList';
import { priceFor, usageTotals, type ModelPrice } from './pricing';
import { withCacheBreakpoints } from './promptCache';

export interface ModelSettings {
  apiKey: string;
  baseURL?: string;
  model: string;
  maxTokens: number;
  /** Where the base URL came from (e.g. ANTHROPIC_BASE_URL), for lines that say what to fix. */
  baseURLSetting?: string;
  /** Per request, the whole stream included. */
  requestTimeoutMs: number;
  /** A stream that sends no event (not even a ping) for this long is given up and retried. */
  idleTimeoutMs?: number;
  /** Retries of 429 (not spend limits), 529, 5xx and dropped connections before the build pauses. */
  maxRetries: number;
  retryBaseMs: number;
  retryMaxMs: number;
  pricing?: Record<string, ModelPrice>;
}

export interface TurnRequest {
  agentId: string;
  role: string;
  taskId?: string;
  system: string;
  tools: ToolDefinition[];
  messages: Anthropic.MessageParam[];
  signal?: AbortSignal;
  onText?: (delta: string) => void;
}

export interface TurnResult {
  message: Anthropic.Message;
  usage: UsageTotals;
  /** The exact request body sent, for the transcript. */
  request: Anthropic.MessageCreateParamsStreaming;
  /** The answered attempt only (retries and their backoff are reported apart): to its first streamed event, and to the end. */
  timing: { firstTokenMs: number; durationMs: number };
}

export const DEFAULT_IDLE_TIMEOUT_MS = 120_000;
/** A retry-after up to this long is waited out as asked; a longer one pauses the build at once. */
export const MAX_RETRY_AFTER_MS = 600_000;
export const DEFAULT_BASE_URL = 'https://api.anthropic.com';

export interface RetryNotice {
  agentId: string;
  attempt: number;
  delayMs: number;
  reason: string;
}

export interface ModelClientHooks {
  onRetry?: (notice: RetryNotice) => void;
  /** Each request that got no usable answer, retried or not: every attempt counts as a request. */
  onFailedAttempt?: (who: { agentId: string; taskId?: string }) => void;
}

/** The Claude wire: one streamed Messages request per turn, with Munero's own retry policy. */
export class ModelClient {
  private readonly client: Anthropic;
  readonly price: ModelPrice;
  /** Named in every line about a failure: what the user would check. */
  readonly endpoint: string;

  constructor(
    readonly settings: ModelSettings,
    private readonly hooks: ModelClientHooks = {},
  ) {
    this.endpoint = (settings.baseURL ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
    this.client = new Anthropic({
      apiKey: settings.apiKey,
      baseURL: settings.baseURL,
      maxRetries: 0, // retries are ours: spend limits must not be retried and exhaustion must pause the build
      timeout: settings.requestTimeoutMs,
    });
    this.price = priceFor(settings.model, settings.pricing);
  }

  async turn(req: TurnRequest): Promise<TurnResult> {
    const cached = withCacheBreakpoints(req.system, req.tools, req.messages);
    const request: Anthropic.MessageCreateParamsStreaming = {
      model: this.settings.model,
      max_tokens: this.settings.maxTokens,
      system: cached.system,
      tools: cached.tools,
      messages: cached.messages,
      stream: true,
    };
    const headers: Record<string, string> = { 'x-munero-agent': req.role };
    if (req.taskId) headers['x-munero-task'] = req.taskId;

    for (let attempt = 1; ; attempt++) {
      // The SDK's own timeout stops at the response headers; this one covers the whole stream.
      const timeout = AbortSignal.timeout(this.settings.requestTimeoutMs);
      const idle = new IdleTimer(this.settings.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS);
      const started = performance.now();
      let firstTokenMs: number | undefined;
      try {
        const signals = [timeout, idle.signal, ...(req.signal ? [req.signal] : [])];
        const stream = this.client.messages.stream(request, { headers, signal: AbortSignal.any(signals) });
        stream.on('streamEvent', () => {
          idle.touch();
          firstTokenMs ??= performance.now() - started;
        });
        if (req.onText) stream.on('text', (delta) => req.onText!(delta));
        const message = await stream.finalMessage();
        const durationMs = Math.round(performance.now() - started);
        return { message, usage: usageTotals(message.usage, this.price), request, timing: { firstTokenMs: Math.round(firstTokenMs ?? durationMs), durationMs } };
      } catch (err) {
        if (req.signal?.aborted) throw abortError();
        const verdict = this.classify(err, timeout, idle);
        if (verdict.kind === 'abort') throw abortError();
        this.hooks.onFailedAttempt?.({ agentId: req.agentId, taskId: req.taskId });
        if (verdict.kind === 'fatal') {
          const models = verdict.status === 404 && /does not exist/.test(verdict.message) ? await describeModels(this.client) : undefined;
          const line = models ? `${verdict.message}; ${models}. Choose one with \`munero resume --model M\` (or MUNERO_MODEL, or "model" in .munero/config.json)` : verdict.message;
          throw new ModelFatalError(`Claude API at ${this.endpoint}: ${line}`, verdict.status, verdict.tooLarge);
        }
        const next = verdict.next ?? 'run `munero resume` when the service is back';
        if (attempt > this.settings.maxRetries) {
          throw new ModelUnavailableError(`Claude API at ${this.endpoint} still failing after ${attempt} attempts: ${verdict.message}; ${next}`, attempt);
        }
        if (verdict.retryAfterMs !== undefined && verdict.retryAfterMs > MAX_RETRY_AFTER_MS) {
          throw new ModelUnavailableError(`Claude API at ${this.endpoint}: ${verdict.message}, and it asks to wait ${Math.round(verdict.retryAfterMs / 1000)} s (retry-after); ${next}`, attempt);
        }
        const backoff = Math.min(this.settings.retryMaxMs, this.settings.retryBaseMs * 2 ** (attempt - 1));
        // The server's retry-after is waited out exactly; our own backoff gets ±25 % jitter so parallel agents spread out.
        const delayMs = verdict.retryAfterMs ?? Math.min(this.settings.retryMaxMs, backoff * (0.75 + Math.random() * 0.5));
        this.hooks.onRetry?.({ agentId: req.agentId, attempt, delayMs, reason: `${this.endpoint}: ${verdict.message}` });
        await sleep(delayMs, req.signal);
      } finally {
        idle.stop();
      }
    }
  }

  private classify(err: unknown, timeout: AbortSignal, idle: IdleTimer): ErrorClass {
    if (idle.signal.aborted) {
      const s = Math.round(idle.ms / 100) / 10;
      return { kind: 'retry', message: `the stream sent nothing for ${s} s (idle timeout, "request": {"idleTimeoutS"} in .munero/config.json)` };
    }
    if (timeout.aborted) {
      return { kind: 'retry', message: `no complete response within ${Math.round(this.settings.requestTimeoutMs / 1000)} s ("request": {"timeoutS"} in .munero/config.json)` };
    }
    return classifyError(err, { baseURLSetting: this.settings.baseURLSetting ?? 'ANTHROPIC_BASE_URL', model: this.settings.model });
  }
}

/** Aborts when `touch` has not been called for `ms`: a stream that stopped sending bytes. */
class IdleTimer {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout;

  constructor(readonly ms: number) {
    this.timer = setTimeout(() => this.controller.abort(), ms);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  touch(): void {
    this.timer.refresh();
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}

function abortError(): Error {
  const err = new Error('The build was interrupted');
  err.name = 'AbortError';
  return err;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError());
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(timer);
      reject(abortError());
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
