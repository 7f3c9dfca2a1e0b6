/// <reference lib="dom" />
import type { TrendSeriesView, TrendsView } from '../../../src/extension/protocol';
import { polylinePoints, sparkPoints, type SparkBox } from '../charts';
import { h, svg } from '../dom';
import { formatTrendValue } from '../format';

const BOX: SparkBox = { width: 120, height: 28, pad: 3 };

/** The last builds' trends, one small line chart per figure, each focusable and described in words. */
export class TrendCharts {
  readonly root: HTMLElement;
  private readonly heading = h('h3', { id: 'trends-heading' }, 'Trends');
  private readonly charts = h('div', { id: 'trends', class: 'trends' });

  constructor() {
    this.root = h('section', { id: 'trends-section', 'aria-labelledby': 'trends-heading' }, this.heading, this.charts);
  }

  render(trends: TrendsView): void {
    const series = trends.series.filter((s) => s.values.some((v) => v !== null));
    this.root.hidden = series.length === 0;
    const n = trends.builds.length;
    this.heading.textContent = `Trends · last ${n} build${n === 1 ? '' : 's'}`;
    this.charts.replaceChildren(...series.map((s) => chart(s, trends.builds)));
  }
}

function chart(s: TrendSeriesView, builds: string[]): HTMLElement {
  const points = sparkPoints(s.values, BOX);
  const latest = points.at(-1)!;
  const titleId = `trend-${s.metric}-title`;
  const values = points.map((p) => formatTrendValue(p.value, s.unit));
  const description = `${s.label} over the last ${builds.length} build${builds.length === 1 ? '' : 's'}: ${values.join(', ')}; latest ${values.at(-1)}`;
  const graphic = svg(
    'svg',
    { class: 'sparkline', viewBox: `0 0 ${BOX.width} ${BOX.height}`, width: BOX.width, height: BOX.height, role: 'img', 'aria-labelledby': titleId },
    svg('title', { id: titleId }, description),
    svg('polyline', { points: polylinePoints(points) }),
    ...points.map((p) => svg('circle', { cx: p.x, cy: p.y, r: p === latest ? 2.5 : 1.5, class: p === latest ? 'latest' : undefined }, svg('title', {}, `${builds[p.index]}: ${formatTrendValue(p.value, s.unit)}`))),
  );
  return h(
    'figure',
    { class: 'trend', 'data-metric': s.metric, tabindex: '0', 'aria-label': description },
    h('figcaption', {}, h('span', { class: 'trend-label' }, s.label), ' ', h('span', { class: 'trend-latest' }, formatTrendValue(latest.value, s.unit))),
    graphic,
  );
}
