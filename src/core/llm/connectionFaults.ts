import type { APIConnectionError } from '@anthropic-ai/sdk';
import type { ErrorClass } from './errors';

const TLS_NOT_SPOKEN = new Set(['ERR_SSL_WRONG_VERSION_NUMBER', 'EPROTO', 'ERR_SSL_PACKET_LENGTH_TOO_LONG']);
const CERT_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS_CERT_ALTNAME_INVALID/;
const DROPPED = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EAI_AGAIN']);

/**
 * The SDK says only "Connection error."; the cause chain (fetch → undici → the socket) says what
 * happened. What a retry may fix is retried; what only the user can fix stops the build.
 */
export function connectionFault(err: APIConnectionError, setting: string): ErrorClass {
  const cause = rootCause(err);
  const code = cause.code ?? '';
  const text = cause.message.split('\n', 1)[0]!.trim();
  const label = code ? `${code}: ${text}` : text;
  if (code === 'ECONNREFUSED') {
    return { kind: 'retry', message: `connection refused (${label}): nothing listens there`, next: `start the server or fix the base URL in ${setting}, then run \`munero resume\`` };
  }
  if (code === 'ENOTFOUND') {
    return { kind: 'fatal', message: `DNS lookup failed (${label}): no such host; fix the host name in ${setting}, then run \`munero resume\`` };
  }
  if (TLS_NOT_SPOKEN.has(code) || /wrong version number|packet length too long/i.test(text)) {
    return { kind: 'fatal', message: `TLS handshake failed (${label}): the server does not speak HTTPS; for a plain-HTTP server write http:// in ${setting}, then run \`munero resume\`` };
  }
  if (CERT_CODES.test(code)) {
    return { kind: 'fatal', message: `TLS certificate not trusted (${label}); for your own proxy or gateway, start Munero with NODE_EXTRA_CA_CERTS=/path/to/its-ca.pem, or fix the URL in ${setting}; then run \`munero resume\`` };
  }
  if (text === 'bad port') {
    return { kind: 'fatal', message: `the port is one fetch refuses to connect to (a reserved port such as 9 or 25): nothing can be reached there; use another port in ${setting}, then run \`munero resume\`` };
  }
  if (text === 'unknown scheme' || text === 'invalid url') {
    return { kind: 'fatal', message: `the base URL is not an http:// or https:// URL; fix ${setting}, then run \`munero resume\`` };
  }
  if (DROPPED.has(code) || /terminated|socket|closed|reset/i.test(text)) {
    return { kind: 'retry', message: `the connection failed (${label})`, next: 'check the network, then run `munero resume`' };
  }
  return { kind: 'retry', message: `the connection failed (${label || err.message})`, next: `check the network and the base URL in ${setting}, then run \`munero resume\`` };
}

function rootCause(err: Error): { code?: string; message: string } {
  let at: unknown = err;
  let found: { code?: string; message: string } = { message: err.message };
  for (let depth = 0; at instanceof Error && depth < 6; depth++) {
    const code = (at as NodeJS.ErrnoException).code;
    found = { code: typeof code === 'string' ? code : found.code, message: at.message };
    at = (at as { cause?: unknown }).cause;
  }
  return found;
}
