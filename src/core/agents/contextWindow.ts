import type Anthropic from '@anthropic-ai/sdk';

type MessageParam = Anthropic.MessageParam;

/**
 * Keeps what an agent sends bounded. When the conversation outgrows `maxChars`, tool results and
 * file contents of older messages are replaced by a short note, all at once, down to half the
 * budget (the newest `keepRecent` messages always stay whole). The boundary then stays put until
 * the conversation outgrows the budget again: every move rewrites the cached prefix, so it moves
 * rarely and far rather than a little on every turn.
 */
export class ContextWindow {
  private elidedBefore = 0;
  private readonly sizes: number[] = [];
  private readonly elided = new Map<number, MessageParam>();

  constructor(
    private readonly maxChars: number,
    private readonly keepRecent = 2,
  ) {}

  view(messages: MessageParam[]): MessageParam[] {
    for (let i = this.sizes.length; i < messages.length; i++) this.sizes[i] = JSON.stringify(messages[i].content).length;
    let live = this.sizes.slice(this.elidedBefore, messages.length).reduce((a, b) => a + b, 0);
    if (live > this.maxChars) {
      const last = messages.length - this.keepRecent;
      while (this.elidedBefore < last && live > this.maxChars / 2) live -= this.sizes[this.elidedBefore++];
    }
    if (this.elidedBefore === 0) return messages;
    return messages.map((m, i) => {
      if (i >= this.elidedBefore) return m;
      let e = this.elided.get(i);
      if (!e) {
        e = elide(m);
        this.elided.set(i, e);
      }
      return e;
    });
  }

  get boundary(): number {
    return this.elidedBefore;
  }
}

const KEEP = 300;

function elide(message: MessageParam): MessageParam {
  if (typeof message.content === 'string') return { ...message, content: shorten(message.content) };
  const content = message.content.map((block) => {
    if (block.type === 'tool_result' && typeof block.content === 'string' && block.content.length > KEEP) {
      return { ...block, content: shorten(block.content) };
    }
    if (block.type === 'tool_use') {
      const input = block.input as Record<string, unknown>;
      const big = Object.entries(input).filter(([, v]) => typeof v === 'string' && v.length > KEEP);
      if (big.length) return { ...block, input: { ...input, ...Object.fromEntries(big.map(([k, v]) => [k, shorten(v as string)])) } };
    }
    return block;
  });
  return { ...message, content } as MessageParam;
}

function shorten(text: string): string {
  if (text.length <= KEEP) return text;
  return `${text.slice(0, KEEP)}… [${text.length - KEEP} characters elided from an older turn; read the file again if you need it]`;
}
