/// <reference lib="dom" />
import type { BuildView, PanelCommand, UsageView } from '../../../src/extension/protocol';
import { h, setText } from '../dom';
import { formatCost, formatTokens } from '../format';

const BUTTONS: { command: PanelCommand; label: string; shownWhen: (status: string) => boolean }[] = [
  { command: 'resume', label: 'Resume', shownWhen: (s) => s === 'paused' || s === 'cancelled' },
  { command: 'cancel', label: 'Cancel', shownWhen: (s) => s === 'running' },
  { command: 'showReport', label: 'Report', shownWhen: (s) => s !== 'running' },
  { command: 'openSpec', label: 'Open Spec', shownWhen: () => true },
];

/** Build id, status, iteration, cost against the budget, tokens, and the build's buttons. */
export class Header {
  readonly root: HTMLElement;
  private readonly id = h('span', { id: 'build-id' });
  private readonly status = h('span', { id: 'build-status', class: 'badge', 'aria-live': 'polite' });
  private readonly iteration = h('span', { id: 'iteration' });
  private readonly cost = h('span', { id: 'cost' });
  private readonly bar = h('progress', { id: 'cost-bar', 'aria-label': 'Cost against the budget' });
  private readonly budget = h('span', { id: 'budget', class: 'muted' });
  private readonly tokens = h('div', { id: 'tokens', class: 'muted' });
  private readonly stopReason = h('p', { id: 'stop-reason' });
  private readonly buttons = new Map<PanelCommand, HTMLButtonElement>();

  constructor(post: (command: PanelCommand) => void) {
    const actions = h('div', { class: 'actions' });
    for (const b of BUTTONS) {
      const button = h('button', { type: 'button', 'data-command': b.command }, b.label);
      button.addEventListener('click', () => post(b.command));
      this.buttons.set(b.command, button);
      actions.append(button);
    }
    this.root = h(
      'header',
      { id: 'build' },
      h('h2', {}, 'Build ', this.id, ' ', this.status),
      h('div', { class: 'meta' }, 'Iteration ', this.iteration),
      h('div', { class: 'cost-row' }, this.cost, this.bar, this.budget),
      this.tokens,
      this.stopReason,
      actions,
    );
  }

  render(build: BuildView | null, usage: UsageView): void {
    this.root.hidden = !build;
    if (!build) return;
    setText(this.id, build.id);
    setText(this.status, build.status);
    this.status.dataset.status = build.status;
    setText(this.iteration, build.maxIterations ? `${build.iteration}/${build.maxIterations}` : String(build.iteration));
    setText(this.cost, formatCost(usage.costUsd));
    const max = build.maxCostUsd;
    this.bar.hidden = this.budget.hidden = !max;
    if (max) {
      this.bar.max = max;
      this.bar.value = Math.min(usage.costUsd, max);
      this.bar.dataset.level = usage.costUsd >= max ? 'over' : usage.costUsd >= 0.8 * max ? 'near' : 'ok';
      setText(this.budget, `of $${max.toFixed(2)}`);
    }
    setText(
      this.tokens,
      `Tokens in ${formatTokens(usage.inputTokens)} · out ${formatTokens(usage.outputTokens)} · cache read ${formatTokens(usage.cacheReadTokens)}`,
    );
    setText(this.stopReason, build.stopReason ?? '');
    this.stopReason.hidden = !build.stopReason;
    for (const b of BUTTONS) this.buttons.get(b.command)!.hidden = !b.shownWhen(build.status);
  }
}
