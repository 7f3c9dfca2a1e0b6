import { AnthropicError, APIConnectionError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import { connectionFault } from './connectionFaults';

/**
 * A failure waiting cannot fix (bad key, no permission, unknown model, spend limit, an endpoint
 * that cannot be reached as configured): the build stops at once and the user must act.
 */
export class ModelFatalError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    /** 413, or a 400 "prompt is too long": sending less may pass, so the agent shrinks its context once. */
    readonly tooLarge = false,
  ) {
    super(message);
    this.name = 'ModelFatalError';
  }
}

/** Retries ran out on a transient failure: the build pauses and can be resumed. */
export class ModelUnavailableError extends Error {
  constructor(
    message: string,
    readonly attempts: number,
  ) {
    super(message);
    this.name = 'ModelUnavailableError';
  }
}

export type ErrorClass =
  | { kind: 'abort' }
  /** `message` names the status and the cause and ends with what to do. */
  | { kind: 'fatal'; message: string; status?: number; tooLarge?: boolean }
  /** `message` names the status and cause; `next` is what to do if it keeps failing. */
  | { kind: 'retry'; message: string; next?: string; retryAfterMs?: number };

/** Where the user fixes what a line points at. */
export interface FaultContext {
  /** The setting the base URL came from, e.g. ANTHROPIC_BASE_URL. */
  baseURLSetting: string;
  model: string;
}

const SPEND_LIMIT = /spend limit|usage limit|credit balance|billing|quota/i;
const RESUME = 'then run `munero resume`';

export function classifyError(err: unknown, at: FaultContext): ErrorClass {
  if (err instanceof APIUserAbortError || (err instanceof Error && err.name === 'AbortError')) return { kind: 'abort' };
  if (err instanceof APIConnectionError) return connectionFault(err, at.baseURLSetting);
  if (err instanceof APIError) return statusFault(err, at);
  if (err instanceof AnthropicError && /parse tool parameter JSON|JSON/i.test(err.message)) {
    // A sampling glitch: asking again draws a new answer.
    return { kind: 'retry', message: `the reply's tool input was not valid JSON (${firstLine(err.message)})` };
  }
  if (err instanceof Error && /terminated|socket|ECONNRESET|premature|aborted/i.test(err.message)) {
    return { kind: 'retry', message: `the connection dropped mid-response (${err.message})` };
  }
  return { kind: 'fatal', message: `${err instanceof Error ? err.message : String(err)}; ${RESUME} once that is fixed` };
}

function statusFault(err: APIError, at: FaultContext): ErrorClass {
  const { type, message } = apiMessage(err);
  const status = err.status;
  const what = `${status ?? 'mid-stream'} ${type}${message ? ` (${message})` : ''}`;
  if (SPEND_LIMIT.test(message)) {
    return { kind: 'fatal', status, message: `${what}: the spend limit or credit balance is reached; raise it in the Anthropic console (Settings → Limits / Billing), ${RESUME}` };
  }
  if (status === undefined) return { kind: 'retry', message: `${what}: the stream reported an error` };
  if (status === 401) return { kind: 'fatal', status, message: `${what}: the API key was refused; set a valid key in ANTHROPIC_API_KEY (or "Munero: Set Anthropic API Key" in VS Code), ${RESUME}` };
  if (status === 403) return { kind: 'fatal', status, message: `${what}: this key may not use ${at.model} at this endpoint; check the key's workspace and permissions in the Anthropic console, or choose another model (\`munero resume --model M\`)` };
  if (status === 404) {
    if (/model/i.test(message)) return { kind: 'fatal', status, message: `${what}: the model ${at.model} does not exist here` };
    return { kind: 'fatal', status, message: `${what}: the endpoint has no Messages API; check the base URL in ${at.baseURLSetting} (it should end before /v1), ${RESUME}` };
  }
  if (status === 413 || (status === 400 && /prompt is too long/i.test(message))) {
    return { kind: 'fatal', status, tooLarge: true, message: `${what}: the request is too large even with the context shrunk; lower maxContextChars in .munero/config.json, ${RESUME}` };
  }
  if (err.headers?.get?.('x-should-retry') === 'false') return { kind: 'fatal', status, message: `${what}: the API says retrying cannot help; ${RESUME} once the cause is fixed` };
  if (status === 429 || status === 408 || status === 409 || status >= 500) {
    const next = status === 429 ? 'wait for the rate limit to reset (or lower --parallel), then run `munero resume`' : 'run `munero resume` when the service is back (https://status.anthropic.com)';
    return { kind: 'retry', message: what, next, retryAfterMs: retryAfter(err.headers) };
  }
  return { kind: 'fatal', status, message: `${what}: the API rejected the request; ${RESUME} once the cause is fixed` };
}

function apiMessage(err: APIError): { type: string; message: string } {
  const body = err.error as { error?: { message?: string; type?: string }; type?: string; message?: string } | undefined;
  const inner = body?.error ?? body;
  const type = inner?.type && inner.type !== 'error' ? inner.type : statusType(err.status);
  return { type, message: inner?.message ?? err.message };
}

function statusType(status: number | undefined): string {
  const names: Record<number, string> = { 400: 'invalid_request_error', 401: 'authentication_error', 403: 'permission_error', 404: 'not_found_error', 413: 'request_too_large', 429: 'rate_limit_error', 500: 'api_error', 529: 'overloaded_error' };
  return (status !== undefined && names[status]) || 'error';
}

function retryAfter(headers: Headers | undefined): number | undefined {
  const value = headers?.get?.('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

function firstLine(text: string): string {
  return (text.split('\n', 1)[0] ?? '').slice(0, 200);
}
