import type Anthropic from '@anthropic-ai/sdk';
import type { EventBus } from '../events/bus';
import type { UsageTotals } from '../events/types';
import { ModelFatalError } from '../llm/errors';
import type { ModelClient } from '../llm/modelClient';
import type { ToolDefinition, ToolOutcome } from '../tools/types';
import { ContextWindow } from './contextWindow';
import { Conversation } from './conversation';

export interface AgentSpec {
  agentId: string;
  role: string;
  taskId?: string;
  system: string;
  tools: ToolDefinition[];
  /** The first user message: the agent's whole brief. */
  brief: string;
  maxTurns: number;
  /** Budget for what is sent each turn; older tool results are elided beyond it. */
  maxContextChars?: number;
}

/** What a tool call produced; `finish` ends the agent with that value (submit_plan, task_complete). */
export interface ToolHandled<T> {
  outcome: ToolOutcome;
  finish?: T;
}

export interface AgentDeps {
  model: ModelClient;
  bus: EventBus;
  conversationFile: string;
  signal?: AbortSignal;
  /**
   * Called before each request with its estimated input tokens; throws to stop (a budget cap).
   * Returns a function to call once the request has answered or failed (it releases what the
   * budget held for it).
   */
  beforeRequest: (estimatedInputTokens: number) => (() => void) | void;
  /** What the user said about the agent's work since its last request (review feedback), if anything. */
  takeNotes?: () => string | undefined;
  /** Called after each response with its usage and the exact request/response, for state. */
  afterResponse: (usage: UsageTotals, request: unknown, response: Anthropic.Message, timing?: { firstTokenMs: number; durationMs: number }) => void;
  /** Called once the run ends, however it ends. */
  onEnd?: () => void;
}

export type AgentResult<T> = { kind: 'finished'; value: T } | { kind: 'gave_up'; reason: string };

const MAX_NUDGES = 2;
const DEFAULT_CONTEXT_CHARS = 320_000;
const FIXED_OVERHEAD = 400;
const ESTIMATE_MARGIN = 1.1;
const MAX_IDENTICAL_CALLS = 3;

/** The Claude tool-use loop for one agent, resumable from its conversation log. */
export async function runAgent<T>(
  spec: AgentSpec,
  deps: AgentDeps,
  handle: (call: Anthropic.ToolUseBlockParam) => Promise<ToolHandled<T>>,
): Promise<AgentResult<T>> {
  const conversation = new Conversation(deps.conversationFile);
  const window = new ContextWindow(spec.maxContextChars ?? DEFAULT_CONTEXT_CHARS);
  const fixedChars = JSON.stringify(spec.system).length + JSON.stringify(spec.tools).length + FIXED_OVERHEAD;
  const state = (step: 'thinking' | 'acting' | 'done' | 'failed', detail?: string) =>
    deps.bus.emit({ type: 'agent.state', agentId: spec.agentId, role: spec.role, taskId: spec.taskId, step, detail });
  let nudges = 0;
  let shrunk = false;
  let lastCall = '';
  let identicalCalls = 0;

  const runTools = async (calls: Anthropic.ToolUseBlockParam[]): Promise<AgentResult<T> | undefined> => {
    let finished: AgentResult<T> | undefined;
    for (const call of calls) {
      const key = `${call.name}:${JSON.stringify(call.input)}`;
      identicalCalls = key === lastCall ? identicalCalls + 1 : 1;
      lastCall = key;
      state('acting', call.name);
      deps.bus.emit({ type: 'tool.called', agentId: spec.agentId, taskId: spec.taskId, tool: call.name, summary: summarize(call.input) });
      const started = performance.now();
      const handled = spec.tools.some((t) => t.name === call.name)
        ? await handle(call)
        : { outcome: { ok: false as const, error: `Unknown tool "${call.name}" for the ${spec.role}. Its tools: ${spec.tools.map((t) => t.name).join(', ')}.` } };
      const text = handled.outcome.ok ? handled.outcome.content : handled.outcome.error;
      // The result a finishing call gave is logged with its tool result, so a resume cannot miss it.
      conversation.addToolResult(call.id, text || '(no output)', !handled.outcome.ok, handled.finish !== undefined && !finished ? { value: handled.finish } : undefined);
      deps.bus.emit({ type: 'tool.result', agentId: spec.agentId, taskId: spec.taskId, tool: call.name, ok: handled.outcome.ok, summary: firstLine(text), durationMs: Math.round(performance.now() - started) });
      if (handled.finish !== undefined && !finished) finished = { kind: 'finished', value: handled.finish };
      if (identicalCalls >= MAX_IDENTICAL_CALLS && !finished) {
        finished = { kind: 'gave_up', reason: `the same ${call.name} call was repeated ${identicalCalls} times` };
      }
    }
    return finished;
  };

  try {
    if (conversation.finished) return end({ kind: 'finished', value: conversation.finished.value as T });
    if (conversation.isEmpty) conversation.addUser(spec.brief);
    const finishedBefore = conversation.finishedByTool;
    const resumed = await runTools(conversation.unansweredToolCalls());
    // Interrupted after a finishing call was answered: the agent ends as it would have, the model unasked.
    if (finishedBefore) return end({ kind: 'finished', value: finishedBefore.value as T });
    if (resumed) return end(resumed);

    for (let turn = 1; turn <= spec.maxTurns; turn++) {
      const note = deps.takeNotes?.();
      if (note) conversation.addUser(note);
      // Characters / 4 with a margin: budgets must be approached, never passed.
      const release = deps.beforeRequest(Math.ceil(((fixedChars + conversation.chars) / 4) * ESTIMATE_MARGIN));
      state('thinking', `turn ${turn}`);
      let reply: Awaited<ReturnType<ModelClient['turn']>>;
      try {
        const ask = () => deps.model.turn({
          agentId: spec.agentId,
          role: spec.role,
          taskId: spec.taskId,
          system: spec.system,
          tools: spec.tools,
          messages: window.view(conversation.messages),
          signal: deps.signal,
          onText: (delta) => deps.bus.emit({ type: 'agent.text', agentId: spec.agentId, taskId: spec.taskId, delta }),
        });
        reply = await ask().catch((err: unknown) => {
          // Too large (413, or "prompt is too long"): what is sent is shrunk once and asked again; a second time stops the build.
          if (!(err instanceof ModelFatalError && err.tooLarge) || shrunk) throw err;
          shrunk = true;
          window.shrink();
          deps.bus.emit({ type: 'log', level: 'warn', message: `${spec.agentId}: the request was too large (${err.status}); asking again with older tool results elided` });
          return ask();
        });
        deps.afterResponse(reply.usage, reply.request, reply.message, reply.timing);
      } finally {
        release?.();
      }
      const { message } = reply;
      const content = toParams(message.content);
      if (content.length === 0) content.push({ type: 'text', text: '(no content)' });
      conversation.addAssistant(content);

      const calls = content.filter((b): b is Anthropic.ToolUseBlockParam => b.type === 'tool_use');
      if (calls.length > 0) {
        const result = await runTools(calls);
        if (result) return end(result);
        if (message.stop_reason === 'max_tokens') {
          conversation.addUser('Your last reply was cut off at the output limit. Make smaller edits, one file at a time.');
        }
        continue;
      }
      if (++nudges > MAX_NUDGES) {
        return end({ kind: 'gave_up', reason: 'the agent stopped without calling its finishing tool' });
      }
      const finishing = spec.tools.find((t) => t.name === 'task_complete' || t.name.startsWith('submit_'))?.name;
      conversation.addUser(`Continue with the task using the tools. When you are finished, call ${finishing}.`);
    }
    return end({ kind: 'gave_up', reason: `no result after ${spec.maxTurns} model turns` });
  } finally {
    conversation.close();
    deps.onEnd?.();
  }

  function end(result: AgentResult<T>): AgentResult<T> {
    if (result.kind === 'finished' && !conversation.finished) conversation.addFinished(result.value);
    state(result.kind === 'finished' ? 'done' : 'failed', result.kind === 'gave_up' ? result.reason : undefined);
    return result;
  }
}

/** Response blocks as request blocks, dropping empty text (the API rejects it when sent back). */
function toParams(blocks: Anthropic.ContentBlock[]): Anthropic.ContentBlockParam[] {
  const out: Anthropic.ContentBlockParam[] = [];
  for (const b of blocks) {
    if (b.type === 'text' && b.text.trim() !== '') out.push({ type: 'text', text: b.text });
    else if (b.type === 'tool_use') out.push({ type: 'tool_use', id: b.id, name: b.name, input: b.input ?? {} });
  }
  return out;
}

function summarize(input: unknown): string {
  if (!input || typeof input !== 'object') return '';
  const o = input as Record<string, unknown>;
  const main = o.path ?? o.command ?? o.pattern ?? o.summary ?? '';
  return String(main).slice(0, 120);
}

function firstLine(text: string): string {
  return (text.split('\n', 1)[0] ?? '').slice(0, 160);
}
