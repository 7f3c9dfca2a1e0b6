import type { ResponseUsage } from './usage';

/** A response content block, shaped like the SDK's TextBlock / ToolUseBlock. */
export type ResponseBlock =
  | { type: 'text'; text: string; citations: null }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown>; caller: { type: 'direct' } };

export interface ResponseMessage {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: ResponseBlock[];
  stop_reason: string | null;
  stop_sequence: string | null;
  stop_details: { type: 'refusal'; category: null; explanation: null } | null;
  container: null;
  diagnostics: null;
  usage: ResponseUsage;
}

export interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

export function encodeSse({ event, data }: SseEvent): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** The real event sequence for a complete message; tool input arrives as a few partial_json fragments. */
export function messageEvents(message: ResponseMessage): SseEvent[] {
  const ev = (event: string, data: Record<string, unknown> = {}): SseEvent => ({ event, data: { type: event, ...data } });
  const { usage } = message;
  const events: SseEvent[] = [
    ev('message_start', {
      message: {
        ...message,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        stop_details: null,
        usage: { ...usage, output_tokens: Math.min(1, usage.output_tokens) },
      },
    }),
    ev('ping'),
  ];
  message.content.forEach((block, index) => {
    if (block.type === 'text') {
      events.push(ev('content_block_start', { index, content_block: { ...block, text: '' } }));
      for (const text of splitPieces(block.text, 4)) {
        events.push(ev('content_block_delta', { index, delta: { type: 'text_delta', text } }));
      }
    } else {
      events.push(ev('content_block_start', { index, content_block: { ...block, input: {} } }));
      // The real service opens with an empty fragment; clients must cope with it.
      for (const partial_json of ['', ...splitPieces(JSON.stringify(block.input), 3)]) {
        events.push(ev('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json } }));
      }
    }
    events.push(ev('content_block_stop', { index }));
  });
  events.push(
    ev('message_delta', {
      delta: {
        stop_reason: message.stop_reason,
        stop_sequence: message.stop_sequence,
        stop_details: message.stop_details,
        container: null,
      },
      usage: {
        input_tokens: usage.input_tokens,
        output_tokens: usage.output_tokens,
        cache_creation_input_tokens: usage.cache_creation_input_tokens,
        cache_read_input_tokens: usage.cache_read_input_tokens,
        output_tokens_details: null,
        server_tool_use: null,
      },
    }),
    ev('message_stop'),
  );
  return events;
}

/** The events a stream has sent when it breaks: up to the first delta of the first block. */
export function partialEvents(events: SseEvent[]): SseEvent[] {
  const firstDelta = events.findIndex((e) => e.event === 'content_block_delta' && hasPayload(e));
  return firstDelta === -1 ? events.slice(0, 2) : events.slice(0, firstDelta + 1);
}

function hasPayload(e: SseEvent): boolean {
  const delta = e.data.delta as { text?: string; partial_json?: string };
  return Boolean(delta.text || delta.partial_json);
}

/** Splits into at most `n` non-empty pieces, never inside a surrogate pair. */
export function splitPieces(s: string, n: number): string[] {
  const chars = Array.from(s);
  if (chars.length === 0) return [];
  const size = Math.ceil(chars.length / Math.min(n, chars.length));
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(''));
  return out;
}
