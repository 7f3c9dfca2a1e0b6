import { STOP_REASONS, USAGE_FIELDS, type ScriptContentBlock, type ScriptTurn, type ScriptUsage } from './scriptTypes';

type Obj = Record<string, unknown>;

export interface SseFrame {
  event: string | null;
  data: string;
}

/** Splits a complete server-sent-events body into frames. */
export function parseSse(text: string): SseFrame[] {
  const frames: SseFrame[] = [];
  for (const chunk of text.split(/\r?\n\r?\n/)) {
    let event: string | null = null;
    const data: string[] = [];
    for (const line of chunk.split(/\r?\n/)) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (event !== null || data.length) frames.push({ event, data: data.join('\n') });
  }
  return frames;
}

/**
 * Rebuilds the final message from a stream's events. Returns null when the stream did not finish
 * (no message_stop) or carried an error event.
 */
export function messageFromSse(frames: SseFrame[]): Obj | null {
  let message: Obj | null = null;
  const json: string[] = [];
  for (const frame of frames) {
    if (frame.event === 'error') return null;
    if (!frame.data || frame.event === 'ping') continue;
    const e = JSON.parse(frame.data) as Obj;
    if (e.type === 'message_start') {
      message = { ...(e.message as Obj), content: [] };
      continue;
    }
    if (!message) continue;
    const content = message.content as Obj[];
    const index = e.index as number;
    switch (e.type) {
      case 'content_block_start':
        content[index] = { ...(e.content_block as Obj) };
        json[index] = '';
        break;
      case 'content_block_delta': {
        const delta = e.delta as Obj;
        const block = content[index]!;
        if (delta.type === 'text_delta') block.text = String(block.text ?? '') + String(delta.text);
        if (delta.type === 'input_json_delta') json[index] += String(delta.partial_json);
        break;
      }
      case 'content_block_stop':
        if (json[index]) content[index]!.input = JSON.parse(json[index]!);
        break;
      case 'message_delta': {
        Object.assign(message, e.delta as Obj);
        const usage = { ...(message.usage as Obj) };
        for (const [k, v] of Object.entries(e.usage as Obj)) if (v !== null && v !== undefined) usage[k] = v;
        message.usage = usage;
        break;
      }
      case 'message_stop':
        return message;
    }
  }
  return null;
}

/** A recorded response as a script turn; block kinds the script format cannot express are dropped. */
export function turnFromMessage(message: Obj, agent: string, task: string | undefined): ScriptTurn {
  const content: ScriptContentBlock[] = [];
  for (const b of (message.content as Obj[]) ?? []) {
    if (b.type === 'text' && typeof b.text === 'string' && b.text !== '') content.push({ type: 'text', text: b.text });
    if (b.type === 'tool_use') {
      content.push({ type: 'tool_use', id: String(b.id), name: String(b.name), input: (b.input ?? {}) as Record<string, unknown> });
    }
  }
  const turn: ScriptTurn = { agent, ...(task ? { task } : {}), content };
  const stop = message.stop_reason;
  if ((STOP_REASONS as readonly unknown[]).includes(stop) && (stop !== 'tool_use' || content.some((b) => b.type === 'tool_use'))) {
    turn.stop_reason = stop as ScriptTurn['stop_reason'];
  }
  const usage: ScriptUsage = {};
  const raw = (message.usage ?? {}) as Obj;
  for (const k of USAGE_FIELDS) if (typeof raw[k] === 'number') usage[k] = raw[k] as number;
  if (Object.keys(usage).length) turn.usage = usage;
  return turn;
}
