import Anthropic from '@anthropic-ai/sdk';
import type { UsageTotals } from '../events/types';
import type { ToolDefinition } from '../tools/types';
import { classifyError, ModelFatalError, ModelUnavailableError } from './errors';
import { priceFor, usageTotals, type ModelPrice } from './pricing';
import { withCacheBreakpoints } from './promptCache';

export interface ModelSettings {
  apiKey: string;
  baseURL?: string;
  model: string;
  maxTokens: number;
  /** Per request, the whole stream included. */
  requestTimeoutMs: number;
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
}

export interface RetryNotice {
  agentId: string;
  attempt: number;
  delayMs: number;
  reason: string;
}

/** The Claude wire: one streamed Messages request per turn, with Munero's own retry policy. */
export class ModelClient {
  private readonly client: Anthropic;
  readonly price: ModelPrice;

  constructor(
    readonly settings: ModelSettings,
    private readonly onRetry: (notice: RetryNotice) => void = () => {},
  ) {
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
      try {
        const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
        const stream = this.client.messages.stream(request, { headers, signal });
        if (req.onText) stream.on('text', (delta) => req.onText!(delta));
        const message = await stream.finalMessage();
        return { message, usage: usageTotals(message.usage, this.price), request };
      } catch (err) {
        if (req.signal?.aborted) throw abortError();
        const verdict = timeout.aborted
          ? { kind: 'retry' as const, message: `no complete response within ${Math.round(this.settings.requestTimeoutMs / 1000)} s`, retryAfterMs: undefined }
          : classifyError(err);
        if (verdict.kind === 'abort') throw abortError();
        if (verdict.kind === 'fatal') throw new ModelFatalError(`Claude API: ${verdict.message}`, verdict.status);
        if (attempt > this.settings.maxRetries) {
          throw new ModelUnavailableError(`Claude API still failing after ${attempt} attempts: ${verdict.message}`, attempt);
        }
        const backoff = Math.min(this.settings.retryMaxMs, this.settings.retryBaseMs * 2 ** (attempt - 1));
        const delayMs = Math.min(this.settings.retryMaxMs, verdict.retryAfterMs ?? backoff * (0.75 + Math.random() * 0.5));
        this.onRetry({ agentId: req.agentId, attempt, delayMs, reason: verdict.message });
        await sleep(delayMs, req.signal);
      }
    }
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
