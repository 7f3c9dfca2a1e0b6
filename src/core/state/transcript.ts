import type { JsonLinesWriter } from './jsonLines';

interface RequestLike {
  messages: unknown[];
  [key: string]: unknown;
}

/**
 * An agent's exact requests and responses, one line per model turn. Each request repeats the
 * whole conversation, so a line stores only what changed: the request's other fields when they
 * differ from the previous line's, and the messages from `messagesFrom` on (from the first one
 * that changed: the previous last message, whose cache breakpoint moved, or older ones elided to
 * bound the context). Replaying the lines in order rebuilds
 * every request byte for byte, and the file grows with the conversation, not its square.
 */
export class TranscriptWriter {
  private lastHeader = '';
  private previous: unknown[] = [];

  constructor(private readonly out: JsonLinesWriter) {}

  record(request: RequestLike, response: unknown): void {
    const { messages, ...rest } = request;
    const header = JSON.stringify(rest);
    // Unchanged messages are the same objects from turn to turn; the first one that is not (the
    // moved cache breakpoint, or messages elided to bound the context) starts what is stored.
    let from = 0;
    const limit = Math.min(this.previous.length, messages.length);
    while (from < limit && messages[from] === this.previous[from]) from++;
    this.out.append({
      at: new Date().toISOString(),
      ...(header !== this.lastHeader ? { request: rest } : {}),
      messagesFrom: from,
      messages: messages.slice(from),
      response,
    });
    this.lastHeader = header;
    this.previous = messages;
  }
}

/** Rebuilds the full requests of a transcript from its lines. */
export function replayTranscript(lines: { request?: Record<string, unknown>; messagesFrom: number; messages: unknown[]; response: unknown }[]) {
  let header: Record<string, unknown> = {};
  let messages: unknown[] = [];
  return lines.map((line) => {
    if (line.request) header = line.request;
    messages = [...messages.slice(0, line.messagesFrom), ...line.messages];
    return { request: { ...header, messages }, response: line.response };
  });
}
