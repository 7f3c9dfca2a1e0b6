import { APIConnectionError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';

/** A failure the build cannot fix by waiting: bad key, spend limit, invalid request. */
export class ModelFatalError extends Error {
  constructor(
    message: string,
    readonly status?: number,
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
  | { kind: 'fatal'; message: string; status?: number }
  | { kind: 'retry'; message: string; retryAfterMs?: number };

const SPEND_LIMIT = /spend limit|usage limit|credit balance|billing|quota/i;

export function classifyError(err: unknown): ErrorClass {
  if (err instanceof APIUserAbortError || (err instanceof Error && err.name === 'AbortError')) return { kind: 'abort' };
  if (err instanceof APIConnectionError) return { kind: 'retry', message: `connection failed: ${err.message}` };
  if (err instanceof APIError) {
    const message = apiMessage(err);
    const status = err.status;
    if (status === undefined) return { kind: 'retry', message }; // error event mid-stream, e.g. overloaded
    if (status === 429 && SPEND_LIMIT.test(message)) {
      return { kind: 'fatal', status, message: `spend limit reached (${message}); raise the limit in the Anthropic console, then resume` };
    }
    if (err.headers?.get?.('x-should-retry') === 'false') return { kind: 'fatal', status, message: `${status} ${message}` };
    if (status === 429 || status === 408 || status === 409 || status >= 500) {
      return { kind: 'retry', message: `${status} ${message}`, retryAfterMs: retryAfter(err.headers) };
    }
    if (status === 401) return { kind: 'fatal', status, message: `the API key was refused (${message}); check ANTHROPIC_API_KEY` };
    return { kind: 'fatal', status, message: `${status} ${message}` };
  }
  if (err instanceof Error && /terminated|socket|ECONNRESET|premature|aborted/i.test(err.message)) {
    return { kind: 'retry', message: `connection dropped: ${err.message}` };
  }
  return { kind: 'fatal', message: err instanceof Error ? err.message : String(err) };
}

function apiMessage(err: APIError): string {
  const body = err.error as { error?: { message?: string; type?: string } } | undefined;
  return body?.error?.message ?? err.message;
}

function retryAfter(headers: Headers | undefined): number | undefined {
  const value = headers?.get?.('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}
