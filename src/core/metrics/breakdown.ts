import type { MuneroEvent } from '../events/types';
import type { BuildState } from '../state/buildState';
import { DEFAULT_PARALLEL } from '../loop/coordinator';
import { findBottlenecks } from './bottlenecks';
import { costsOf } from './costs';
import { intervalsOf, runWindows, splitWallTime, summedMs } from './intervals';
import { criticalPath, slotWaitMs, solutionReuse, taskTimings } from './taskTimes';
import type { BuildBreakdown, CheckTime, ModelTime, ResourceUsage, ToolTime } from './types';

/**
 * Where a build's time and money went, derived from its event log (append-only, kept with the
 * build) and its state document: nothing else is stored, so an old build's breakdown is
 * computed the same way as a new one's, and a running build's shows what happened so far.
 */
export function buildBreakdown(state: BuildState, events: readonly MuneroEvent[]): BuildBreakdown {
  const tasks = state.plan?.tasks ?? [];
  const windows = runWindows(events);
  const intervals = intervalsOf(events);
  const wall = splitWallTime(windows, intervals);
  const wallMs = windows.reduce((n, w) => n + (w.end - w.start), 0);
  const timings = taskTimings(events, tasks);
  const slots = Math.max(1, state.options.parallel ?? DEFAULT_PARALLEL);
  const busyMs = timings.reduce((n, t) => n + t.activeMs, 0);
  const checks = checkTimes(events);
  const breakdown: BuildBreakdown = {
    buildId: state.id,
    wallMs,
    wall,
    model: modelTime(events),
    tools: toolTimes(events),
    checks,
    checkRuns: {
      full: events.filter((e) => e.type === 'validation.started' && e.selection?.mode !== 'affected').length,
      affected: events.filter((e) => e.type === 'validation.started' && e.selection?.mode === 'affected').length,
    },
    waiting: {
      reviewMs: summedMs(intervals, (i) => i.waitingFor === 'review'),
      slotMs: slotWaitMs(events, tasks),
      retryBackoffMs: events.reduce((n, e) => n + (e.type === 'retry' ? e.delayMs : 0), 0),
      lockMs: 0,
    },
    parallelism: { slots, average: wallMs > 0 ? busyMs / wallMs : 0 },
    criticalPath: criticalPath(tasks, timings),
    tasks: timings,
    cost: { totalUsd: state.usage.costUsd, ...costsOf(events, tasks) },
    resources: resourcesOf(events, checks),
    solutionReuse: solutionReuse(events),
    bottlenecks: [],
  };
  breakdown.bottlenecks = findBottlenecks(breakdown, state);
  return breakdown;
}

function modelTime(events: readonly MuneroEvent[]): ModelTime {
  const model: ModelTime = { requests: 0, totalMs: 0, firstTokenMs: 0, streamingMs: 0, byRole: [] };
  const roles = new Map<string, { role: string; requests: number; totalMs: number }>();
  for (const e of events) {
    if (e.type !== 'usage') continue;
    const ms = e.durationMs ?? 0;
    const first = Math.min(ms, e.firstTokenMs ?? ms);
    model.requests++;
    model.totalMs += ms;
    model.firstTokenMs += first;
    model.streamingMs += ms - first;
    const key = e.role ?? e.agentId;
    const row = roles.get(key) ?? roles.set(key, { role: key, requests: 0, totalMs: 0 }).get(key)!;
    row.requests++;
    row.totalMs += ms;
  }
  model.byRole = [...roles.values()].sort((a, b) => b.totalMs - a.totalMs);
  return model;
}

function toolTimes(events: readonly MuneroEvent[]): ToolTime[] {
  const rows = new Map<string, ToolTime>();
  for (const e of events) {
    if (e.type !== 'tool.result') continue;
    const row = rows.get(e.tool) ?? rows.set(e.tool, { tool: e.tool, calls: 0, failed: 0, totalMs: 0 }).get(e.tool)!;
    row.calls++;
    if (!e.ok) row.failed++;
    row.totalMs += e.durationMs ?? 0;
  }
  return [...rows.values()].sort((a, b) => b.totalMs - a.totalMs);
}

function checkTimes(events: readonly MuneroEvent[]): CheckTime[] {
  const rows = new Map<string, CheckTime>();
  for (const e of events) {
    if (e.type !== 'validation.finished') continue;
    for (const c of e.checks) {
      const row = rows.get(c.command) ?? rows.set(c.command, { name: c.name, command: c.command, runs: 0, failed: 0, totalMs: 0 }).get(c.command)!;
      row.runs++;
      if (!c.passed) row.failed++;
      row.totalMs += c.durationMs;
      if (c.cpuMs !== undefined) row.cpuMs = (row.cpuMs ?? 0) + c.cpuMs;
      if (c.peakRssBytes !== undefined) row.peakRssBytes = Math.max(row.peakRssBytes ?? 0, c.peakRssBytes);
    }
  }
  return [...rows.values()].sort((a, b) => b.totalMs - a.totalMs);
}

/** The engine's figures from each run's `resources` event (peaks over runs, CPU summed); the checks' from their results. */
function resourcesOf(events: readonly MuneroEvent[], checks: readonly CheckTime[]): ResourceUsage {
  const runs = events.filter((e): e is Extract<MuneroEvent, { type: 'resources' }> => e.type === 'resources');
  const measured = checks.filter((c) => c.cpuMs !== undefined);
  const notMeasured = [...new Set(runs.flatMap((r) => r.notMeasured))];
  if (runs.length === 0) notMeasured.push('the engine: no run of this build recorded its resources (it is running, or predates them)');
  return {
    enginePeakRssBytes: runs.length ? Math.max(...runs.map((r) => r.enginePeakRssBytes)) : undefined,
    enginePeakHeapBytes: runs.length ? Math.max(...runs.map((r) => r.enginePeakHeapBytes)) : undefined,
    engineCpuMs: runs.length ? runs.reduce((n, r) => n + r.engineCpuMs, 0) : undefined,
    checksCpuMs: measured.length ? measured.reduce((n, c) => n + (c.cpuMs ?? 0), 0) : undefined,
    checksPeakRssBytes: measured.length ? Math.max(...measured.map((c) => c.peakRssBytes ?? 0)) : undefined,
    stateBytes: runs.at(-1)?.stateBytes,
    notMeasured,
  };
}
