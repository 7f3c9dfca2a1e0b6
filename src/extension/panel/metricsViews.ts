import type { BuildBreakdown, BuildTrends, TrendPoint } from '../../core';
import type { BreakdownView, TrendSeriesView, TrendsView, WallPart } from '../protocol';

const PARTS: { part: WallPart; label: string }[] = [
  { part: 'checks', label: 'checks' },
  { part: 'model', label: 'model' },
  { part: 'tools', label: 'tools' },
  { part: 'waiting', label: 'waiting' },
  { part: 'idle', label: 'engine' },
];

const SERIES: { metric: TrendSeriesView['metric']; label: string; unit: TrendSeriesView['unit'] }[] = [
  { metric: 'costPerVerified', label: 'Cost per verified requirement', unit: 'usd' },
  { metric: 'iterationsPerRequirement', label: 'Iterations per requirement', unit: 'count' },
  { metric: 'checkMsPerTask', label: 'Check time per task', unit: 'ms' },
  { metric: 'firstAttemptPassRate', label: 'First-attempt pass rate', unit: 'ratio' },
];

/** The compact breakdown the panel draws: the wall-time split as bar parts, and the bottleneck lines. */
export function breakdownView(b: BuildBreakdown): BreakdownView {
  const ms: Record<WallPart, number> = { checks: b.wall.checksMs, model: b.wall.modelMs, tools: b.wall.toolsMs, waiting: b.wall.waitingMs, idle: b.wall.idleMs };
  return {
    buildId: b.buildId,
    wallMs: b.wallMs,
    parts: PARTS.map(({ part, label }) => ({ part, label, ms: ms[part] })),
    // The messages are markdown for the report; the panel shows plain text.
    bottlenecks: b.bottlenecks.map((x) => ({ kind: x.kind, message: plain(x.message), advice: plain(x.advice) })),
  };
}

/** The last `limit` builds' trends as one series of values per figure. */
export function trendsView(t: BuildTrends, limit: number): TrendsView {
  const builds = t.builds.slice(-limit);
  return {
    builds: builds.map((p) => p.buildId),
    series: SERIES.map((s) => ({ ...s, values: builds.map((p: TrendPoint) => p[s.metric] ?? null) })),
  };
}

export function emptyTrends(): TrendsView {
  return { builds: [], series: [] };
}

function plain(markdown: string): string {
  return markdown.replace(/`/g, '');
}
