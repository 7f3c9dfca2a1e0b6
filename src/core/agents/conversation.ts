import type Anthropic from '@anthropic-ai/sdk';
import { StateDamagedError } from '../state/errors';
import { JsonLinesWriter, readJsonLines } from '../state/jsonLines';

/** Characters a message adds around its blocks when serialised (role, braces, a cache mark). */
const MESSAGE_OVERHEAD = 64;

type Entry =
  | { kind: 'user'; text: string }
  | { kind: 'assistant'; content: Anthropic.ContentBlockParam[] }
  | { kind: 'tool_result'; tool_use_id: string; content: string; is_error: boolean; finish?: { value: unknown } }
  | { kind: 'finished'; value: unknown };

/**
 * One agent's conversation as an append-only log, written after every response and every tool
 * result. A build killed mid-task resumes from the last line written: the conversation is rebuilt
 * and only tool calls without a recorded result are run again.
 */
export class Conversation {
  readonly messages: Anthropic.MessageParam[] = [];
  /** Serialised characters of everything recorded (a slight overestimate), for estimating a request's tokens without serialising it each turn. */
  chars = 0;
  private readonly writer: JsonLinesWriter;

  constructor(file: string) {
    for (const entry of readConversation(file)) this.apply(entry);
    this.writer = new JsonLinesWriter(file);
  }

  /** The agent's result, once recorded: a resumed agent that had finished is not asked again. */
  finished: { value: unknown } | undefined;

  /** The result a tool call of the newest assistant message finished the agent with, if one did. */
  finishedByTool: { value: unknown } | undefined;

  get isEmpty(): boolean {
    return this.messages.length === 0;
  }

  addUser(text: string): void {
    this.record({ kind: 'user', text });
  }

  addAssistant(content: Anthropic.ContentBlockParam[]): void {
    this.record({ kind: 'assistant', content });
  }

  addFinished(value: unknown): void {
    this.record({ kind: 'finished', value });
  }

  addToolResult(toolUseId: string, content: string, isError: boolean, finish?: { value: unknown }): void {
    this.record({ kind: 'tool_result', tool_use_id: toolUseId, content, is_error: isError, ...(finish ? { finish } : {}) });
  }

  /** Tool calls of the newest assistant message that have no result yet. */
  unansweredToolCalls(): Anthropic.ToolUseBlockParam[] {
    const last = this.messages[this.messages.length - 1];
    const assistant = last?.role === 'assistant' ? last : this.messages[this.messages.length - 2];
    if (!assistant || assistant.role !== 'assistant' || typeof assistant.content === 'string') return [];
    const answered = new Set<string>();
    if (last.role === 'user' && typeof last.content !== 'string') {
      for (const b of last.content) if (b.type === 'tool_result') answered.add(b.tool_use_id);
    }
    return assistant.content.filter((b): b is Anthropic.ToolUseBlockParam => b.type === 'tool_use' && !answered.has(b.id));
  }

  close(): void {
    this.writer.close();
  }

  private record(entry: Entry): void {
    this.writer.append(entry);
    this.apply(entry);
  }

  private apply(entry: Entry): void {
    if (entry.kind === 'finished') {
      this.finished = { value: entry.value };
      return;
    }
    this.chars += MESSAGE_OVERHEAD + JSON.stringify(entry.kind === 'assistant' ? entry.content : entry).length;
    const last = this.messages[this.messages.length - 1];
    if (entry.kind === 'assistant') {
      this.finishedByTool = undefined;
      this.messages.push({ role: 'assistant', content: entry.content });
    } else if (entry.kind === 'user') {
      if (last?.role === 'user' && typeof last.content !== 'string') {
        last.content.push({ type: 'text', text: entry.text }); // after any tool results, as the API requires
      } else {
        this.messages.push({ role: 'user', content: [{ type: 'text', text: entry.text }] });
      }
    } else {
      if (entry.finish) this.finishedByTool = entry.finish;
      const block: Anthropic.ToolResultBlockParam = {
        type: 'tool_result',
        tool_use_id: entry.tool_use_id,
        content: entry.content,
        ...(entry.is_error ? { is_error: true } : {}),
      };
      if (last?.role === 'user' && typeof last.content !== 'string') last.content.push(block);
      else this.messages.push({ role: 'user', content: [block] });
    }
  }
}

/**
 * A damaged line mid-conversation cannot be skipped: the requests rebuilt from the rest would pair
 * a tool call with no result, which the API refuses. The way on is to let that attempt start over.
 */
function readConversation(file: string): Entry[] {
  try {
    return readJsonLines<Entry>(file);
  } catch (err) {
    if (!(err instanceof StateDamagedError)) throw err;
    throw new StateDamagedError(file, `${err.message.replace(/ Delete that line .*$/, '')} An agent's conversation cannot skip a line; move ${file} away and resume again: that agent's attempt then starts over (the changes it already made stay, and are in the change log).`);
  }
}
