import type { MuneroEvent } from '../events/types';
import type { WallTimeSplit } from './types';

/** What was happening from `start` to `end` (epoch ms). Higher categories win where they overlap. */
export interface Interval {
  kind: 'checks' | 'model' | 'tools' | 'waiting';
  /** For waits: what was waited for. */
  waitingFor?: 'review' | 'retry';
  start: number;
  end: number;
}

const PRIORITY: Interval['kind'][] = ['checks', 'model', 'tools', 'waiting'];

/** The spans of the build's runs (a resumed build has several): build.started to build.finished, or to its last event. */
export function runWindows(events: readonly MuneroEvent[]): { start: number; end: number }[] {
  const windows: { start: number; end: number }[] = [];
  let open: number | undefined;
  let last = 0;
  for (const e of events) {
    const t = Date.parse(e.at);
    if (e.type === 'build.started') {
      if (open !== undefined) windows.push({ start: open, end: last });
      open = t;
    }
    last = t;
    if (e.type === 'build.finished' && open !== undefined) {
      windows.push({ start: open, end: t });
      open = undefined;
    }
  }
  if (open !== undefined) windows.push({ start: open, end: last });
  return windows;
}

/** Intervals recorded by the events: model requests and tool calls end at their event; checks and waits are paired. */
export function intervalsOf(events: readonly MuneroEvent[]): Interval[] {
  const out: Interval[] = [];
  const checksOpen = new Map<string, number[]>();
  const reviewOpen = new Map<string, number>();
  for (const e of events) {
    const t = Date.parse(e.at);
    if (e.type === 'usage' && e.durationMs !== undefined) out.push({ kind: 'model', start: t - e.durationMs, end: t });
    else if (e.type === 'tool.result' && e.durationMs !== undefined) out.push({ kind: 'tools', start: t - e.durationMs, end: t });
    else if (e.type === 'retry') out.push({ kind: 'waiting', waitingFor: 'retry', start: t, end: t + e.delayMs });
    else if (e.type === 'validation.started') checksOpen.set(e.scope, [...(checksOpen.get(e.scope) ?? []), t]);
    else if (e.type === 'validation.finished') {
      const starts = checksOpen.get(e.scope) ?? [];
      const start = starts.shift() ?? t - e.checks.reduce((n, c) => n + c.durationMs, 0);
      out.push({ kind: 'checks', start, end: t });
    } else if (e.type === 'agent.state') {
      const since = reviewOpen.get(e.agentId);
      if (since !== undefined) {
        out.push({ kind: 'waiting', waitingFor: 'review', start: since, end: t });
        reviewOpen.delete(e.agentId);
      }
      if (e.step === 'waiting') reviewOpen.set(e.agentId, t);
    }
  }
  return out;
}

/** Total length of the intervals of one kind, overlaps counted once per interval (summed, not merged). */
export function summedMs(intervals: readonly Interval[], keep: (i: Interval) => boolean): number {
  return intervals.filter(keep).reduce((n, i) => n + Math.max(0, i.end - i.start), 0);
}

/**
 * Splits the windows' wall time so each instant counts once, under the highest-priority kind
 * active then (checks > model > tools > waiting), and as idle when none is.
 */
export function splitWallTime(windows: readonly { start: number; end: number }[], intervals: readonly Interval[]): WallTimeSplit {
  const split: WallTimeSplit = { checksMs: 0, modelMs: 0, toolsMs: 0, waitingMs: 0, idleMs: 0 };
  const key = { checks: 'checksMs', model: 'modelMs', tools: 'toolsMs', waiting: 'waitingMs' } as const;
  for (const w of windows) {
    const edges: { t: number; kind: Interval['kind']; delta: 1 | -1 }[] = [];
    for (const i of intervals) {
      const start = Math.max(i.start, w.start);
      const end = Math.min(i.end, w.end);
      if (end <= start) continue;
      edges.push({ t: start, kind: i.kind, delta: 1 }, { t: end, kind: i.kind, delta: -1 });
    }
    edges.sort((a, b) => a.t - b.t);
    const active: Record<Interval['kind'], number> = { checks: 0, model: 0, tools: 0, waiting: 0 };
    let at = w.start;
    for (const edge of edges) {
      addSpan(split, key, active, edge.t - at);
      at = edge.t;
      active[edge.kind] += edge.delta;
    }
    addSpan(split, key, active, w.end - at);
  }
  return split;
}

function addSpan(split: WallTimeSplit, key: Record<Interval['kind'], keyof WallTimeSplit>, active: Record<Interval['kind'], number>, ms: number): void {
  if (ms <= 0) return;
  const kind = PRIORITY.find((k) => active[k] > 0);
  split[kind ? key[kind] : 'idleMs'] += ms;
}
