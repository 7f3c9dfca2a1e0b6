import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { ERROR_STATUS, errorBody, randomId, scriptedToolId, sendError, type ApiErrorType } from './apiErrors';
import type { Fault, ScriptTurn } from './scriptTypes';
import { encodeSse, messageEvents, partialEvents, type ResponseBlock, type ResponseMessage, type SseEvent } from './sse';
import type { TurnQueue } from './turnQueue';
import { outputTokens, responseUsage, type PromptCache } from './usage';
import { validateRequest } from './validateRequest';

export interface RequestLogEntry {
  at: number;
  agent?: string;
  task?: string;
  stream: boolean;
  /** 0 when the connection was dropped without any response. */
  status: number;
  errorType?: string;
  errorMessage?: string;
  turnIndex?: number;
  fault?: string;
  body: unknown;
  usage?: object;
}

export interface HandlerContext {
  queue: TurnQueue;
  cache: PromptCache;
  log: RequestLogEntry[];
  latencyMs: number;
  /** The models this endpoint knows (GET /v1/models); a request for another is a 404. Default: any model. */
  models?: string[];
}

type Body = Record<string, unknown>;

/** Errors caused by the script rather than the client: retrying cannot help. */
const NO_RETRY = { 'x-should-retry': 'false' };

export async function handleRequest(ctx: HandlerContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = randomId('req_');
  const agent = header(req, 'x-munero-agent');
  const task = header(req, 'x-munero-task');
  const raw = await readBody(req);
  const entry: RequestLogEntry = { at: Date.now(), agent, task, stream: false, status: 0, body: undefined };
  const fail = (type: ApiErrorType, message: string, headers?: Record<string, string>) =>
    respondError(ctx, res, entry, requestId, type, message, headers);

  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (req.method === 'GET' && path === '/v1/models') return listModels(ctx, res, requestId);
  if (req.method !== 'POST' || path !== '/v1/messages') return fail('not_found_error', `Not found: ${req.method} ${path}`);
  if (!req.headers['x-api-key'] && !req.headers.authorization) {
    return fail('authentication_error', 'x-api-key header is required');
  }
  if (!req.headers['anthropic-version']) return fail('invalid_request_error', 'anthropic-version: header is required');
  let body: Body;
  try {
    body = JSON.parse(raw) as Body;
  } catch (err) {
    return fail('invalid_request_error', `There was an error parsing the body of your request: ${(err as Error).message}`);
  }
  entry.body = body;
  entry.stream = typeof body === 'object' && body !== null && body.stream === true;
  const invalid = validateRequest(body);
  if (invalid) return fail('invalid_request_error', invalid);
  if (ctx.models && !ctx.models.includes(String(body.model))) return fail('not_found_error', `model: ${String(body.model)}`);

  if (body.max_tokens === 0) {
    // Cache pre-warming: no generation, no turn consumed.
    return serveMessage(ctx, res, entry, requestId, { body, content: [], stopReason: 'max_tokens', delayMs: 0 });
  }

  const step = ctx.queue.next(agent, task);
  if (step.kind === 'none') {
    return fail('api_error', `scripted server: no turn left for agent=${agent ?? '(none)'} task=${task ?? '(none)'}`, NO_RETRY);
  }
  entry.turnIndex = step.turnIndex;
  if (step.kind === 'fault') {
    entry.fault = step.fault.type;
    await sleep(step.delayMs);
    const turn = ctx.queue.turns[step.turnIndex]!;
    return serveFault(ctx, req, res, entry, requestId, step.fault, faultMessage(ctx, body, turn, step.turnIndex));
  }
  const unmet = unmetExpectation(step.turn, step.turnIndex, body);
  if (unmet) return fail('api_error', unmet, NO_RETRY);
  ctx.queue.consume(step.turnIndex);
  if (step.latencyFaults) entry.fault = 'latency';
  const turn = step.turn;
  return serveMessage(ctx, res, entry, requestId, {
    body,
    content: toResponseBlocks(turn, step.turnIndex),
    stopReason: turn.stop_reason,
    usage: turn.usage,
    delayMs: step.delayMs + (turn.latency_ms ?? 0) + ctx.latencyMs,
  });
}

interface Reply {
  body: Body;
  content: ResponseBlock[];
  stopReason?: string;
  usage?: ScriptTurn['usage'];
  delayMs: number;
}

async function serveMessage(
  ctx: HandlerContext,
  res: ServerResponse,
  entry: RequestLogEntry,
  requestId: string,
  reply: Reply,
): Promise<void> {
  const message = assemble(ctx, reply, true);
  Object.assign(entry, { status: 200, usage: message.usage });
  ctx.log.push(entry);
  let clientGone = false;
  let sending = false;
  res.on('close', () => {
    if (sending || clientGone) return;
    // The client gave up (e.g. an SDK timeout) before any byte: its retry must get this same turn.
    clientGone = true;
    Object.assign(entry, { status: 0, errorMessage: 'client disconnected before the response was sent' });
    if (entry.turnIndex !== undefined) ctx.queue.release(entry.turnIndex);
  });
  await sleep(reply.delayMs);
  if (clientGone) return;
  sending = true;
  if (entry.stream) {
    res.writeHead(200, sseHeaders(requestId));
    for (const e of messageEvents(message)) res.write(encodeSse(e));
    res.end();
  } else {
    const payload = JSON.stringify(message);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), 'request-id': requestId });
    res.end(payload);
  }
}

function serveFault(
  ctx: HandlerContext,
  req: IncomingMessage,
  res: ServerResponse,
  entry: RequestLogEntry,
  requestId: string,
  fault: Exclude<Fault, { type: 'latency' }>,
  message: ResponseMessage,
): void {
  const fail = (type: ApiErrorType, msg: string, headers?: Record<string, string>) =>
    respondError(ctx, res, entry, requestId, type, msg, headers);
  switch (fault.type) {
    case 'rate_limit':
      return fail(
        'rate_limit_error',
        'Number of request tokens has exceeded your per-minute rate limit (scripted fault).',
        fault.retry_after_s === null ? {} : { 'retry-after': String(fault.retry_after_s ?? 1) },
      );
    case 'bad_key':
      return fail('authentication_error', 'invalid x-api-key');
    case 'forbidden':
      return fail('permission_error', 'Your API key does not have permission to use the specified resource.');
    case 'request_too_large':
      return fail('request_too_large', 'Request exceeds the maximum allowed number of bytes.');
    case 'prompt_too_long':
      return fail('invalid_request_error', 'prompt is too long: 210000 tokens > 200000 maximum');
    case 'stall':
    case 'malformed_tool_input':
      return serveBrokenStream(ctx, res, entry, requestId, fault.type, message);
    case 'spend_limit':
      // Retrying cannot succeed until someone raises the limit; x-should-retry tells SDK clients so.
      return fail(
        'rate_limit_error',
        "This request would exceed your workspace's spend limit: the workspace spend limit has been reached (scripted fault).",
        NO_RETRY,
      );
    case 'overloaded':
      return fail('overloaded_error', 'Overloaded');
    case 'server_error':
      return fail('api_error', 'Internal server error');
    case 'drop_mid_stream':
      ctx.log.push(entry);
      if (!entry.stream) {
        req.socket.destroy();
        return;
      }
      entry.status = 200;
      res.writeHead(200, sseHeaders(requestId));
      res.write(partialEvents(messageEvents(message)).map(encodeSse).join(''), () => res.destroy());
      return;
    case 'error_event_mid_stream':
      if (!entry.stream) return fail('overloaded_error', 'Overloaded');
      Object.assign(entry, { status: 200, errorType: 'overloaded_error', errorMessage: 'Overloaded' });
      ctx.log.push(entry);
      res.writeHead(200, sseHeaders(requestId));
      for (const e of partialEvents(messageEvents(message))) res.write(encodeSse(e));
      res.end(encodeSse({ event: 'error', data: errorBody('overloaded_error', 'Overloaded', requestId) }));
      return;
  }
}

/** `stall`: the stream starts, then sends nothing more. `malformed_tool_input`: the first tool input's JSON is broken. */
function serveBrokenStream(ctx: HandlerContext, res: ServerResponse, entry: RequestLogEntry, requestId: string, kind: 'stall' | 'malformed_tool_input', message: ResponseMessage): void {
  if (kind === 'malformed_tool_input' && !message.content.some((b) => b.type === 'tool_use')) {
    return respondError(ctx, res, entry, requestId, 'api_error', 'scripted server: a malformed_tool_input fault needs a turn with a tool_use block', NO_RETRY);
  }
  Object.assign(entry, { status: 200, errorMessage: kind === 'stall' ? 'stalled after the first events' : 'tool input JSON broken' });
  ctx.log.push(entry);
  if (!entry.stream) {
    res.writeHead(200, { 'content-type': 'application/json', 'request-id': requestId });
    // A stalled JSON body never ends; a malformed one is not JSON at all.
    if (kind === 'malformed_tool_input') res.end(JSON.stringify(message).slice(0, -2));
    return;
  }
  res.writeHead(200, sseHeaders(requestId));
  const events = messageEvents(message);
  if (kind === 'stall') {
    // The socket stays open until the client gives up (or the server closes).
    res.write(partialEvents(events).map(encodeSse).join(''));
    return;
  }
  res.end(withBrokenToolInput(events).map(encodeSse).join(''));
}

function respondError(
  ctx: HandlerContext,
  res: ServerResponse,
  entry: RequestLogEntry,
  requestId: string,
  type: ApiErrorType,
  message: string,
  headers?: Record<string, string>,
): void {
  Object.assign(entry, { status: ERROR_STATUS[type], errorType: type, errorMessage: message });
  ctx.log.push(entry);
  sendError(res, requestId, type, message, headers);
}

/** The message a fault's partial stream starts; it does not touch the prompt cache. */
function faultMessage(ctx: HandlerContext, body: Body, turn: ScriptTurn, turnIndex: number): ResponseMessage {
  const content = toResponseBlocks(turn, turnIndex);
  return assemble(ctx, { body, content, stopReason: turn.stop_reason, usage: turn.usage, delayMs: 0 }, false);
}

function assemble(ctx: HandlerContext, reply: Reply, store: boolean): ResponseMessage {
  const { body, content } = reply;
  const stopReason = reply.stopReason ?? (content.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn');
  const stops = body.stop_sequences;
  return {
    id: randomId('msg_'),
    type: 'message',
    role: 'assistant',
    model: String(body.model),
    content,
    stop_reason: stopReason,
    stop_sequence: stopReason === 'stop_sequence' && Array.isArray(stops) && typeof stops[0] === 'string' ? stops[0] : null,
    stop_details: stopReason === 'refusal' ? { type: 'refusal', category: null, explanation: null } : null,
    container: null,
    diagnostics: null,
    usage: responseUsage(ctx.cache.account(body, store), content.length ? outputTokens(content) : 0, reply.usage),
  };
}

function toResponseBlocks(turn: ScriptTurn, turnIndex: number): ResponseBlock[] {
  return turn.content.map((b, j) =>
    b.type === 'text'
      ? { type: 'text', text: b.text, citations: null }
      : { type: 'tool_use', id: b.id ?? scriptedToolId(turnIndex, j), name: b.name, input: b.input, caller: { type: 'direct' } },
  );
}

function unmetExpectation(turn: ScriptTurn, turnIndex: number, body: Body): string | null {
  const wanted = turn.expect?.tool_results_contain ?? [];
  if (wanted.length === 0) return null;
  const messages = body.messages as Array<{ role: string; content: unknown }>;
  const lastUser = messages.findLast((m) => m.role === 'user');
  const text = toolResultText(lastUser?.content);
  const missing = wanted.filter((s) => !text.includes(s));
  if (missing.length === 0) return null;
  const shown = text.length > 400 ? `${text.slice(0, 400)}…` : text;
  return (
    `scripted server: script expectation failed for turn ${turnIndex} (agent=${turn.agent}` +
    `${turn.task ? ` task=${turn.task}` : ''}): the tool_result text of the last user message does not contain ` +
    `${missing.map((s) => JSON.stringify(s)).join(', ')}; it was ${JSON.stringify(shown)}`
  );
}

function toolResultText(content: unknown): string {
  if (!Array.isArray(content)) return '';
  const texts: string[] = [];
  for (const b of content as Array<Record<string, unknown>>) {
    if (b?.type !== 'tool_result') continue;
    if (typeof b.content === 'string') texts.push(b.content);
    else if (Array.isArray(b.content)) {
      for (const inner of b.content as Array<Record<string, unknown>>) {
        if (inner?.type === 'text' && typeof inner.text === 'string') texts.push(inner.text);
      }
    }
  }
  return texts.join('\n');
}

/** The first tool_use block's input fragments, with the colon after its first key dropped. */
function withBrokenToolInput(events: SseEvent[]): SseEvent[] {
  const start = events.find((e) => e.event === 'content_block_start' && (e.data.content_block as { type: string }).type === 'tool_use')!;
  const index = start.data.index;
  const fragments = events.filter((e) => e.event === 'content_block_delta' && e.data.index === index);
  const json = fragments.map((e) => (e.data.delta as { partial_json: string }).partial_json).join('');
  const broken = json.includes('":') ? json.replace('":', '" ') : '{,}';
  const first = events.indexOf(fragments[0]!);
  const replaced: SseEvent = { event: 'content_block_delta', data: { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: broken } } };
  return [...events.slice(0, first), replaced, ...events.slice(first + fragments.length)];
}

function listModels(ctx: HandlerContext, res: ServerResponse, requestId: string): void {
  const ids = ctx.models ?? [];
  const data = ids.map((id) => ({ type: 'model', id, display_name: id, created_at: '2025-01-01T00:00:00Z' }));
  const payload = JSON.stringify({ data, has_more: false, first_id: ids[0] ?? null, last_id: ids.at(-1) ?? null });
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), 'request-id': requestId });
  res.end(payload);
}

function sseHeaders(requestId: string) {
  return { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'request-id': requestId };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined || s === '' ? undefined : s;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
