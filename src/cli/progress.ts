import type { MuneroEvent, UsageTotals } from '../core';
import { describeEvent } from '../core';
import { formatTokens } from './statusView';

export type OutputMode = 'tty' | 'plain' | 'json';

/** Projects the event bus onto a terminal: JSON lines, plain lines, or a live status block. */
export class ProgressView {
  private readonly agents = new Map<string, string>();
  private tasksTotal = 0;
  private tasksDone = new Set<string>();
  private usage: UsageTotals | undefined;
  private blockLines = 0;

  constructor(
    private readonly mode: OutputMode,
    private readonly out: NodeJS.WriteStream = process.stdout,
  ) {}

  onEvent(e: MuneroEvent): void {
    if (this.mode === 'json') {
      this.out.write(JSON.stringify(e) + '\n');
      return;
    }
    this.track(e);
    const line = describeEvent(e);
    if (this.mode === 'plain') {
      if (line) this.out.write(line + '\n');
      return;
    }
    this.clearBlock();
    if (line) this.out.write(line + '\n');
    if (e.type !== 'build.finished') this.drawBlock();
  }

  private track(e: MuneroEvent): void {
    if (e.type === 'plan.accepted') this.tasksTotal = e.tasks.length;
    if (e.type === 'task.finished' && e.status === 'done') this.tasksDone.add(e.taskId);
    if (e.type === 'usage') this.usage = e.build;
    if (e.type === 'agent.state') {
      if (e.step === 'done' || e.step === 'failed') this.agents.delete(e.agentId);
      else this.agents.set(e.agentId, `${e.step}${e.detail ? ` (${e.detail})` : ''}`);
    }
  }

  private drawBlock(): void {
    const u = this.usage;
    const tokens = u ? u.inputTokens + u.outputTokens + u.cacheReadTokens + u.cacheWriteTokens : 0;
    const lines = [`── tasks ${this.tasksDone.size}/${this.tasksTotal || '?'} done · ${formatTokens(tokens)} tokens · $${(u?.costUsd ?? 0).toFixed(4)}`];
    for (const [id, step] of this.agents) lines.push(`   ${id}: ${step}`);
    const width = this.out.columns || 100;
    for (const l of lines) this.out.write(l.slice(0, width - 1) + '\n');
    this.blockLines = lines.length;
  }

  private clearBlock(): void {
    if (this.blockLines > 0) this.out.write(`\x1b[${this.blockLines}A\x1b[0J`);
    this.blockLines = 0;
  }
}
