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
  private readonly elidedSizes = new Map<number, number>();

  constructor(
    private maxChars: number,
    private keepRecent = 2,
  ) {}

  /** After a 413: a quarter of the budget and only the newest message kept whole, from the next view on. */
  shrink(): void {
    this.maxChars = Math.floor(this.maxChars / 4);
    this.keepRecent = 1;
  }

  view(messages: MessageParam[]): MessageParam[] {
    for (let i = this.sizes.length; i < messages.length; i++) this.sizes[i] = JSON.stringify(messages[i].content).length;
    let total = this.sizes.slice(0, messages.length).reduce((a, b, i) => a + (i < this.elidedBefore ? this.elidedSize(messages, i) : b), 0);
    if (total > this.maxChars) {
      const last = messages.length - this.keepRecent;
      while (this.elidedBefore < last && total > this.maxChars / 2) {
        total -= this.sizes[this.elidedBefore] - this.elidedSize(messages, this.elidedBefore);
        this.elidedBefore++;
      }
    }
    if (this.elidedBefore === 0) return messages;
    return messages.map((m, i) => (i < this.elidedBefore ? this.elidedMessage(messages, i) : m));
  }

  private elidedMessage(messages: MessageParam[], i: number): MessageParam {
    let e = this.elided.get(i);
    if (!e) {
      e = elide(messages[i]);
      this.elided.set(i, e);
    }
    return e;
  }

  private elidedSize(messages: MessageParam[], i: number): number {
    let size = this.elidedSizes.get(i);
    if (size === undefined) {
      size = JSON.stringify(this.elidedMessage(messages, i).content).length;
      this.elidedSizes.set(i, size);
    }
    return size;
  }

  get boundary(): number {
    return this.elidedBefore;
  }
}

const KEEP = 120;

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
