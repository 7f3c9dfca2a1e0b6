import path from 'node:path';
import type { MuneroEvent } from '../events/types';
import { LEARNING_DIR } from '../learning/learningDb';
import { PerformanceLog } from '../learning/performance';
import type { PerformanceEntry } from '../learning/types';
import type { BuildState } from '../state/buildState';
import type { NoteSink } from '../state/jsonLines';
import type { BuildTrends, TrendPoint } from './types';

export const DEFAULT_TREND_BUILDS = 20;

/** The figures a finished build adds to the performance history besides its outcome and usage. */
export function performanceFigures(state: BuildState, events: readonly MuneroEvent[]): Pick<PerformanceEntry, 'tasks' | 'firstAttemptPasses' | 'checkMs'> {
  const attempted = new Set<string>();
  const firstPasses = new Set<string>();
  let checkMs = 0;
  for (const e of events) {
    if (e.type === 'task.started') attempted.add(e.taskId);
    if (e.type === 'task.finished' && e.status === 'done' && e.attempt === 1) firstPasses.add(e.taskId);
    if (e.type === 'validation.finished') checkMs += e.checks.reduce((n, c) => n + c.durationMs, 0);
  }
  // A task replanned away keeps its events; count only tasks of the final plan that ran.
  const planned = new Set((state.plan?.tasks ?? []).map((t) => t.id));
  const tasks = [...attempted].filter((id) => planned.has(id));
  return { tasks: tasks.length, firstAttemptPasses: tasks.filter((id) => firstPasses.has(id)).length, checkMs };
}

/** The last `limit` builds of the history, oldest first, as the trends show them. */
export function trendsFrom(history: readonly PerformanceEntry[], limit = DEFAULT_TREND_BUILDS): BuildTrends {
  return { builds: history.slice(-limit).map(trendPoint) };
}

function trendPoint(e: PerformanceEntry): TrendPoint {
  const requirements = e.requirements.length;
  const verified = e.requirements.filter((r) => r.verdict === 'verified').length;
  return {
    buildId: e.buildId,
    at: e.at,
    outcome: e.outcome,
    requirements,
    verified,
    costUsd: e.usage.costUsd,
    durationMs: e.durationMs,
    costPerVerified: verified > 0 ? e.usage.costUsd / verified : undefined,
    iterationsPerRequirement: requirements > 0 ? e.iterations / requirements : 0,
    checkMsPerTask: e.checkMs !== undefined && e.tasks ? e.checkMs / e.tasks : undefined,
    firstAttemptPassRate: e.firstAttemptPasses !== undefined && e.tasks ? e.firstAttemptPasses / e.tasks : undefined,
  };
}

/** The workspace's trends, read from its performance history (no build needs to run). */
export function workspaceTrends(workspaceRoot: string, limit = DEFAULT_TREND_BUILDS, note?: NoteSink): BuildTrends {
  const log = new PerformanceLog(path.join(workspaceRoot, LEARNING_DIR, 'performance.jsonl'), note);
  try {
    return trendsFrom(log.history(), limit);
  } finally {
    log.close();
  }
}
