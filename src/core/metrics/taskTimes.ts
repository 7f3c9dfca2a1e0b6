import type { MuneroEvent } from '../events/types';
import type { PlanTask } from '../state/buildState';
import type { CriticalPath, SolutionReuse, TaskTiming } from './types';

/** Each task's attempts from task.started to task.finished, summed, and its cost from usage events. */
export function taskTimings(events: readonly MuneroEvent[], tasks: readonly PlanTask[]): TaskTiming[] {
  const open = new Map<string, number>();
  const rows = new Map<string, TaskTiming>(tasks.map((t) => [t.id, { taskId: t.id, attempts: 0, activeMs: 0, costUsd: 0 }]));
  const row = (id: string) => rows.get(id) ?? rows.set(id, { taskId: id, attempts: 0, activeMs: 0, costUsd: 0 }).get(id)!;
  for (const e of events) {
    const t = Date.parse(e.at);
    if (e.type === 'task.started') {
      open.set(e.taskId, t);
      row(e.taskId).attempts = Math.max(row(e.taskId).attempts, e.attempt);
    } else if (e.type === 'task.finished' && open.has(e.taskId)) {
      row(e.taskId).activeMs += t - open.get(e.taskId)!;
      open.delete(e.taskId);
    } else if (e.type === 'usage' && e.taskId) {
      row(e.taskId).costUsd += e.request.costUsd;
    }
  }
  return [...rows.values()];
}

/**
 * Time ready tasks waited to start: from the moment a task could run (its iteration began and its
 * dependencies in it were done) to its start. Busy slots and tasks planned on the same files cause it.
 */
export function slotWaitMs(events: readonly MuneroEvent[], tasks: readonly PlanTask[]): number {
  const deps = new Map(tasks.map((t) => [t.id, t.depends_on]));
  let iterationStart = 0;
  let doneAt = new Map<string, number>();
  let waited = 0;
  for (const e of events) {
    const t = Date.parse(e.at);
    if (e.type === 'iteration.started') {
      iterationStart = t;
      doneAt = new Map();
    } else if (e.type === 'task.finished' && e.status === 'done') doneAt.set(e.taskId, t);
    else if (e.type === 'task.started' && iterationStart) {
      const ready = Math.max(iterationStart, ...(deps.get(e.taskId) ?? []).map((d) => doneAt.get(d) ?? iterationStart));
      waited += Math.max(0, t - ready);
    }
  }
  return waited;
}

/** The chain of dependent tasks whose active times add up to the most. */
export function criticalPath(tasks: readonly PlanTask[], timings: readonly TaskTiming[]): CriticalPath {
  const ms = new Map(timings.map((t) => [t.taskId, t.activeMs]));
  const best = new Map<string, { ms: number; path: string[] }>();
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const visit = (id: string, seen: Set<string>): { ms: number; path: string[] } => {
    const known = best.get(id);
    if (known) return known;
    if (seen.has(id)) return { ms: 0, path: [] }; // a cycle cannot be in an accepted plan; guard anyway
    seen.add(id);
    let longest = { ms: 0, path: [] as string[] };
    for (const d of byId.get(id)?.depends_on ?? []) {
      if (!byId.has(d)) continue;
      const before = visit(d, seen);
      if (before.ms > longest.ms) longest = before;
    }
    const result = { ms: longest.ms + (ms.get(id) ?? 0), path: [...longest.path, id] };
    best.set(id, result);
    return result;
  };
  let top: CriticalPath = { tasks: [], ms: 0 };
  for (const t of tasks) {
    const p = visit(t.id, new Set());
    if (p.ms > top.ms) top = { tasks: p.path, ms: p.ms };
  }
  return top;
}

/** Tasks offered an earlier solution, and how many of those offered on their first attempt passed it. */
export function solutionReuse(events: readonly MuneroEvent[]): SolutionReuse {
  const offeredFirst = new Set<string>();
  const tasks = new Set<string>();
  let offered = 0;
  let passedFirstAttempt = 0;
  for (const e of events) {
    if (e.type === 'solution.offered') {
      offered++;
      tasks.add(e.taskId);
      if (e.attempt === 1) offeredFirst.add(e.taskId);
    } else if (e.type === 'task.finished' && e.status === 'done' && e.attempt === 1 && offeredFirst.delete(e.taskId)) {
      passedFirstAttempt++;
    }
  }
  return { offered, passedFirstAttempt, tasks: [...tasks] };
}
