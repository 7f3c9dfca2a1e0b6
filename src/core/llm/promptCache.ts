import type Anthropic from '@anthropic-ai/sdk';
import type { ToolDefinition } from '../tools/types';

type MessageParam = Anthropic.MessageParam;
const EPHEMERAL = { type: 'ephemeral' as const };

/**
 * Marks the cacheable prefix. Tools and the system prompt are byte-for-byte stable across turns
 * and end in a breakpoint each; one more breakpoint sits on the newest message, so each turn
 * reads everything before it from the cache. Three breakpoints: under the API's limit of four.
 */
export function withCacheBreakpoints(
  system: string,
  tools: ToolDefinition[],
  messages: MessageParam[],
): { system: Anthropic.TextBlockParam[]; tools: Anthropic.Tool[]; messages: MessageParam[] } {
  const cachedTools = tools.map((t, i) => (i === tools.length - 1 ? { ...t, cache_control: EPHEMERAL } : { ...t })) as Anthropic.Tool[];
  const cachedMessages = messages.slice();
  const last = cachedMessages[cachedMessages.length - 1];
  if (last) {
    const blocks = typeof last.content === 'string' ? [{ type: 'text' as const, text: last.content }] : last.content.slice();
    const tail = blocks[blocks.length - 1];
    if (tail && tail.type !== 'thinking' && tail.type !== 'redacted_thinking') {
      blocks[blocks.length - 1] = { ...tail, cache_control: EPHEMERAL } as typeof tail;
    }
    cachedMessages[cachedMessages.length - 1] = { ...last, content: blocks } as MessageParam;
  }
  return { system: [{ type: 'text', text: system, cache_control: EPHEMERAL }], tools: cachedTools, messages: cachedMessages };
}
