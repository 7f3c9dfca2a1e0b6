import type { BuildState } from '../state/buildState';
import type { Bottleneck, BuildBreakdown } from './types';

/** Shares of the wall time below these are not worth a line. */
const CHECKS_SHARE = 0.25;
const MODEL_SHARE = 0.5;
const WAIT_SHARE = 0.15;
const IDLE_SHARE = 0.25;
/** Parallelism below this part of the slots, with more than one task, is worth a line. */
const PARALLEL_USE = 0.6;
export const MAX_BOTTLENECKS = 4;

/** The few things that cost a build the most, worst first, each with what would help. */
export function findBottlenecks(b: BuildBreakdown, state: BuildState): Bottleneck[] {
  if (b.wallMs <= 0) return [];
  const share = (ms: number) => ms / b.wallMs;
  const found: Bottleneck[] = [];

  const { full, affected } = b.checkRuns;
  if (share(b.wall.checksMs) >= CHECKS_SHARE && full + affected > 0) {
    const slowest = b.checks[0];
    const runs = affected ? `${full} full-suite and ${affected} affected-test runs` : `${full} full-suite runs`;
    found.push({
      kind: 'checks',
      share: share(b.wall.checksMs),
      message: `checks took ${pct(share(b.wall.checksMs))} of the wall time: ${runs}, the costliest \`${slowest.command}\` (${slowest.runs} runs, ${seconds(slowest.totalMs / slowest.runs)} each on average)`,
      advice: affected
        ? 'affected-test runs are on and the whole suite still ends every iteration: a faster test command, or fewer iterations (clearer requirements)'
        : 'enable affected-test runs ("checks": {"affectedOnly": true} in .munero/config.json; the log says why a run took the whole suite), or a faster test command',
    });
  }
  if (share(b.wall.modelMs) >= MODEL_SHARE && b.model.requests > 0) {
    const top = b.model.byRole[0];
    found.push({
      kind: 'model',
      share: share(b.wall.modelMs),
      message: `model requests took ${pct(share(b.wall.modelMs))} of the wall time: ${b.model.requests} requests, ${seconds(b.model.firstTokenMs / b.model.requests)} to the first token on average; the ${top.role} made ${top.requests}`,
      advice: 'a faster model for routine roles (`model` in .munero/agents.json), more tasks in parallel (--parallel), or smaller tasks that need fewer turns',
    });
  }
  for (const t of b.tasks) {
    if (t.attempts < 2) continue;
    const signatures = state.tasks[t.taskId]?.signatures ?? [];
    const same = signatures.length > 1 && signatures.every((s) => s === signatures[0]);
    found.push({
      kind: 'retries',
      costUsd: t.costUsd,
      share: share(t.activeMs),
      message: `task ${t.taskId} took ${t.attempts} attempts${same ? ' failing the same way each time' : ''}: ${money(t.costUsd)}, ${seconds(t.activeMs)}`,
      advice: same
        ? 'read its reflections in the report; the requirement it serves may need to be clearer, or the task split'
        : signatures.length > 1
          ? 'its failures changed between attempts; check whether its tests and its requirement agree'
          : 'its failed attempt is in the report; acceptance criteria in the spec help a first attempt pass',
    });
  }
  const waited = b.waiting.reviewMs + b.waiting.retryBackoffMs;
  if (share(b.wall.waitingMs) >= WAIT_SHARE && waited > 0) {
    const review = b.waiting.reviewMs >= b.waiting.retryBackoffMs;
    found.push({
      kind: 'waiting',
      share: share(b.wall.waitingMs),
      message: `the build only waited for ${pct(share(b.wall.waitingMs))} of the wall time: ${review ? `${seconds(b.waiting.reviewMs)} for your review` : `${seconds(b.waiting.retryBackoffMs)} in retry backoff after failed model requests`}`,
      advice: review ? 'review after the build (--review review) instead of approving each change as it comes' : 'the API was overloaded or rate limited; a higher rate limit or fewer parallel agents',
    });
  }
  const taskCount = b.tasks.filter((t) => t.activeMs > 0).length;
  if (b.parallelism.slots > 1 && taskCount > 1 && b.parallelism.average < b.parallelism.slots * PARALLEL_USE) {
    const path = b.criticalPath.tasks.join(' → ');
    found.push({
      kind: 'parallelism',
      share: share(b.criticalPath.ms),
      message: `the critical path was ${path} (${seconds(b.criticalPath.ms)}); parallelism averaged ${b.parallelism.average.toFixed(1)} of ${b.parallelism.slots} slots`,
      advice: b.waiting.slotMs > b.criticalPath.ms / 2 ? 'ready tasks waited for each other: plan fewer tasks on the same files' : 'fewer dependencies between tasks, or the long tasks on the critical path split',
    });
  }
  if (share(b.wall.idleMs) >= IDLE_SHARE) {
    found.push({
      kind: 'idle',
      share: share(b.wall.idleMs),
      message: `${pct(share(b.wall.idleMs))} of the wall time had no model request, tool or check running: the engine's own bookkeeping (state, checkpoints)`,
      advice: 'a slow disk for the workspace or a very large .munero/ folder; if neither, please report it',
    });
  }
  return found.sort((x, y) => weight(y) - weight(x)).slice(0, MAX_BOTTLENECKS);
}

// Time shares and money are compared by taking a dollar as the whole wall time.
function weight(b: Bottleneck): number {
  return Math.max(b.share ?? 0, b.costUsd ?? 0);
}

export function pct(share: number): string {
  return `${Math.round(share * 100)}%`;
}

export function seconds(ms: number): string {
  return ms >= 10_000 ? `${Math.round(ms / 1000)} s` : `${(ms / 1000).toFixed(1)} s`;
}

export function money(usd: number): string {
  return `$${usd.toFixed(2)}`;
}
