import { randomBytes, createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';

export type ApiErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'request_too_large'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'api_error'
  | 'overloaded_error';

export const ERROR_STATUS: Record<ApiErrorType, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  permission_error: 403,
  request_too_large: 413,
  not_found_error: 404,
  rate_limit_error: 429,
  api_error: 500,
  overloaded_error: 529,
};

export function errorBody(type: ApiErrorType, message: string, requestId: string | null) {
  return { type: 'error' as const, error: { type, message }, request_id: requestId };
}

export function sendError(
  res: ServerResponse,
  requestId: string,
  type: ApiErrorType,
  message: string,
  extraHeaders: Record<string, string> = {},
): void {
  const payload = JSON.stringify(errorBody(type, message, requestId));
  res.writeHead(ERROR_STATUS[type], {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
    'request-id': requestId,
    ...extraHeaders,
  });
  res.end(payload);
}

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function base62(bytes: Buffer, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[bytes[i % bytes.length]! % 62];
  return out;
}

/** Looks like the real ids: `msg_01…`, `req_01…`. */
export function randomId(prefix: string): string {
  return `${prefix}01${base62(randomBytes(22), 22)}`;
}

/** Deterministic, so a replayed script hands out the same tool_use ids every run. */
export function scriptedToolId(turnIndex: number, blockIndex: number): string {
  return `toolu_01${base62(createHash('sha256').update(`${turnIndex}:${blockIndex}`).digest(), 22)}`;
}
