/// <reference lib="dom" />
import type { BreakdownView } from '../../../src/extension/protocol';
import { barWidths, roundedPercents } from '../charts';
import { h, setText } from '../dom';
import { formatDuration } from '../format';

/** The current build's wall time as a stacked bar with a legend, and its bottlenecks with what would help. */
export class BreakdownChart {
  readonly root: HTMLElement;
  private readonly total = h('span', { id: 'breakdown-total', class: 'muted' });
  private readonly bar = h('div', { id: 'breakdown-bar', class: 'breakdown-bar', role: 'img', tabindex: '0' });
  private readonly legend = h('ul', { id: 'breakdown-legend', class: 'legend' });
  private readonly bottlenecks = h('ul', { id: 'bottlenecks', class: 'rows' });

  constructor() {
    this.root = h(
      'section',
      { id: 'breakdown', 'aria-labelledby': 'breakdown-heading' },
      h('h3', { id: 'breakdown-heading' }, 'Where the time went'),
      this.total,
      this.bar,
      this.legend,
      this.bottlenecks,
    );
  }

  render(b: BreakdownView | null): void {
    this.root.hidden = !b || b.wallMs <= 0;
    if (!b || b.wallMs <= 0) return;
    setText(this.total, `${formatDuration(b.wallMs)} of wall time`);
    const widths = barWidths(b.parts.map((p) => p.ms));
    const percents = roundedPercents(widths);
    const shown = b.parts.map((p, i) => ({ ...p, width: widths[i]!, text: `${p.label} ${percents[i]}% · ${formatDuration(p.ms)}` })).filter((p) => p.width > 0);
    this.bar.setAttribute('aria-label', `Wall time ${formatDuration(b.wallMs)}: ${shown.map((p) => p.text).join(', ')}`);
    this.bar.replaceChildren(
      ...shown.map((p) => {
        const segment = h('div', { class: 'segment', 'data-part': p.part, title: p.text });
        // Through the CSSOM: the panel's CSP allows no inline style attributes.
        segment.style.width = `${p.width}%`;
        return segment;
      }),
    );
    this.legend.replaceChildren(...shown.map((p) => h('li', { 'data-part': p.part }, h('span', { class: 'swatch', 'aria-hidden': 'true' }), p.text)));
    this.bottlenecks.replaceChildren(
      // The advice folds away: a narrow sidebar has room for the findings, not every remedy.
      ...b.bottlenecks.map((x) =>
        h('li', { class: 'bottleneck', 'data-kind': x.kind }, h('details', {}, h('summary', {}, x.message), h('div', { class: 'advice muted' }, `What would help: ${x.advice}`))),
      ),
    );
  }
}
