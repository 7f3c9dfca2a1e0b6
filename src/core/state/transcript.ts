import type { JsonLinesWriter } from './jsonLines';

interface RequestLike {
  messages: unknown[];
  [key: string]: unknown;
}

/**
 * An agent's exact requests and responses, one line per model turn. Each request repeats the
 * whole conversation, so a line stores only what changed: the request's other fields when they
 * differ from the previous line's, and the messages from `messagesFrom` on (the previous last
 * message is repeated because its cache breakpoint moved). Replaying the lines in order rebuilds
 * every request byte for byte, and the file grows with the conversation, not its square.
 */
export class TranscriptWriter {
  private lastHeader = '';
  private sent = 0;

  constructor(private readonly out: JsonLinesWriter) {}

  record(request: RequestLike, response: unknown): void {
    const { messages, ...rest } = request;
    const header = JSON.stringify(rest);
    const from = Math.max(0, Math.min(this.sent, messages.length) - 1);
    this.out.append({
      at: new Date().toISOString(),
      ...(header !== this.lastHeader ? { request: rest } : {}),
      messagesFrom: from,
      messages: messages.slice(from),
      response,
    });
    this.lastHeader = header;
    this.sent = messages.length;
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
