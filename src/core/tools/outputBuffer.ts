import { joinHeadTail } from './capText';

/**
 * Collects a stream of text keeping only its first half-budget of characters and a rolling
 * tail of the rest, so memory stays bounded however much a command prints.
 */
export class OutputBuffer {
  private head = '';
  private tailChunks: string[] = [];
  private tailChars = 0;
  private totalChars = 0;
  private readonly headLimit: number;
  private readonly tailLimit: number;

  constructor(private readonly maxChars: number) {
    this.headLimit = Math.ceil(maxChars / 2);
    this.tailLimit = Math.max(0, maxChars - this.headLimit);
  }

  push(text: string): void {
    if (!text) return;
    this.totalChars += text.length;
    if (this.head.length < this.headLimit) {
      const room = this.headLimit - this.head.length;
      this.head += text.slice(0, room);
      text = text.slice(room);
      if (!text) return;
    }
    this.tailChunks.push(text);
    this.tailChars += text.length;
    // Drop whole chunks that lie entirely before the tail window.
    while (this.tailChunks.length > 1 && this.tailChars - this.tailChunks[0]!.length >= this.tailLimit) {
      this.tailChars -= this.tailChunks.shift()!.length;
    }
    if (this.tailChunks.length === 1 && this.tailChars > this.tailLimit) {
      this.tailChunks[0] = this.tailChunks[0]!.slice(this.tailChars - this.tailLimit);
      this.tailChars = this.tailLimit;
    }
  }

  /** Characters currently held: at most the budget plus one chunk. */
  get retainedChars(): number {
    return this.head.length + this.tailChars;
  }

  get truncated(): boolean {
    return this.totalChars > this.maxChars;
  }

  text(): string {
    const tailAll = this.tailChunks.join('');
    const tail = tailAll.slice(Math.max(0, tailAll.length - this.tailLimit));
    const omitted = this.totalChars - this.head.length - tail.length;
    return joinHeadTail(this.head, tail, omitted, this.maxChars);
  }
}
