import type { PlanTask } from '../state/buildState';
import type { RunContext } from './context';
import { topologicalOrder } from './planValidation';
import { runTask } from './taskRunner';

export const DEFAULT_PARALLEL = 3;

/**
 * One iteration's execution: every unfinished task whose dependencies are done gets one attempt.
 * Up to `parallel` have agents working at once (a task waiting for its checks holds no slot);
 * tasks that plan to touch the same files wait for each other (until their checks are done), so
 * the later one works on top of the earlier one's change. A task whose dependency cannot finish
 * this iteration is marked blocked. The first error that stops the build cancels the siblings.
 */
export async function runIteration(outer: RunContext): Promise<void> {
  // Siblings of a task that hit a build-stopping error are stopped through this signal.
  const stopSiblings = new AbortController();
  // Tasks waiting for their checks hold no slot: their agents are done, so a ready task may start.
  const checking = new Set<string>();
  let wake = () => {};
  const onChecks = (taskId: string, phase: 'waiting' | 'done') => {
    if (phase === 'waiting') checking.add(taskId);
    else checking.delete(taskId);
    wake();
  };
  const ctx: RunContext = { ...outer, signal: AbortSignal.any([outer.signal, stopSiblings.signal]), onChecks };
  const tasks = topologicalOrder(ctx.record.state.plan!.tasks);
  const parallel = Math.max(1, ctx.record.state.options.parallel ?? DEFAULT_PARALLEL);
  const status = (id: string) => ctx.record.state.tasks[id]?.status;
  const settled = new Set(tasks.filter((t) => status(t.id) === 'done' || status(t.id) === 'escalated').map((t) => t.id));
  const running = new Map<string, Promise<PlanTask>>();
  let failure: unknown;

  const startable = (t: PlanTask): 'start' | 'wait' | 'blocked' => {
    const deps = t.depends_on.map((d) => status(d));
    if (t.depends_on.some((d) => settled.has(d) && status(d) !== 'done')) return 'blocked';
    if (deps.some((d) => d !== 'done')) return 'wait';
    const busy = [...running.keys()].flatMap((id) => tasks.find((x) => x.id === id)?.files ?? []);
    return t.files.some((f) => busy.includes(f)) ? 'wait' : 'start';
  };

  while (true) {
    if (failure === undefined) {
      for (const t of tasks) {
        if (settled.has(t.id) || running.has(t.id) || running.size - checking.size >= parallel) continue;
        const verdict = startable(t);
        if (verdict === 'blocked') {
          settled.add(t.id);
          const waitingFor = t.depends_on.filter((d) => status(d) !== 'done');
          ctx.record.update((s) => { s.tasks[t.id].status = 'blocked'; });
          ctx.bus.emit({ type: 'task.finished', taskId: t.id, status: 'blocked', attempt: ctx.record.state.tasks[t.id].attempts, reason: `waiting for ${waitingFor.join(', ')}` });
        } else if (verdict === 'start') {
          running.set(t.id, runTask(ctx, t).then(() => t));
        }
      }
    }
    if (running.size === 0) break;
    try {
      const woken = new Promise<undefined>((resolve) => (wake = () => resolve(undefined)));
      const next = await Promise.race([...running.values(), woken]);
      if (!next) continue;
      running.delete(next.id);
      settled.add(next.id);
    } catch (err) {
      // One task's build-stopping error: let the siblings wind down, then rethrow it.
      failure ??= err;
      stopSiblings.abort('sibling-failed');
      for (const [id, p] of running) {
        const done = await p.then(() => true, () => true);
        if (done) running.delete(id);
      }
    }
  }
  // Tasks never started (their dependencies did not finish) are blocked for this iteration.
  for (const t of tasks) {
    if (!settled.has(t.id) && failure === undefined) {
      ctx.record.update((s) => { s.tasks[t.id].status = 'blocked'; });
      ctx.bus.emit({ type: 'task.finished', taskId: t.id, status: 'blocked', attempt: ctx.record.state.tasks[t.id].attempts, reason: 'its dependencies did not finish' });
    }
  }
  if (failure !== undefined) throw failure;
}
