import type { BuildOutcome } from '../events/types';
import { ModelFatalError, ModelUnavailableError } from '../llm/errors';
import type { BuildState, PlanTask } from '../state/buildState';
import { BudgetExceededError, type RunContext } from './context';
import { PlanningFailedError, planBuild } from './planning';
import { topologicalOrder } from './planValidation';
import { attemptTask, validate } from './taskAttempt';
import { judgeRequirements, repeatedSignature } from './verdicts';

export const SAME_FAILURE_LIMIT = 3;

export interface RunOutcome {
  outcome: BuildOutcome;
  reason: string;
}

/**
 * The feedback loop of one build: plan once, then iterations of execute → observe → feed back
 * until every task is done and the checks pass, or a stop rule fires. Each step is persisted
 * before the next starts, so a resumed build continues from the last completed one.
 */
export async function runBuild(ctx: RunContext): Promise<RunOutcome> {
  const { record } = ctx;
  try {
    if (!record.state.plan) {
      const tasks = await planBuild(ctx);
      record.update((s) => {
        s.plan = { version: 1, tasks };
        for (const t of tasks) s.tasks[t.id] = { status: 'pending', attempts: 0 };
      });
      ctx.bus.emit({ type: 'plan.accepted', version: 1, tasks: tasks.map((t) => ({ id: t.id, title: t.title, requirements: t.requirements, dependsOn: t.depends_on })) });
    }
    const order = topologicalOrder(record.state.plan!.tasks);

    while (true) {
      const state = record.state;
      if (state.iteration >= state.options.maxIterations && !state.iterationOpen) {
        return finish(ctx, 'unmet', `the iteration limit (${state.options.maxIterations}) was reached`);
      }
      if (!state.iterationOpen) record.update((s) => { s.iteration += 1; s.iterationOpen = true; });
      const iteration = record.state.iteration;
      ctx.bus.emit({ type: 'iteration.started', iteration });

      for (const task of order) {
        const stop = await runTaskInIteration(ctx, task);
        if (stop) return finish(ctx, 'unmet', stop);
      }

      const checks = await validate(ctx, `iteration ${iteration}`);
      throwIfAborted(ctx);
      const allDone = order.every((t) => record.state.tasks[t.id].status === 'done');
      const passed = checks.length > 0 && checks.every((c) => c.passed);
      record.update((s) => {
        s.lastChecks = checks.map(({ name, command, exitCode, passed, durationMs, failures }) => ({ name, command, exitCode, passed, durationMs, failures }));
        s.iterationOpen = false;
        s.requirements = judgeRequirements(s, passed);
      });
      record.checkpoints.create(`iter-${iteration}`);
      record.update((s) => { s.checkpoints = [...new Set([...s.checkpoints, `iter-${iteration}`])]; });
      ctx.bus.emit({ type: 'iteration.finished', iteration, passed: passed && allDone });
      if (passed && allDone) return finish(ctx, 'verified', 'every task is done and every check passes');
      if (allDone) {
        // Nothing is left to retry; replanning a fix task is the reflection layer's job.
        const failing = checks.filter((c) => !c.passed).map((c) => c.name).join(', ') || 'no check configured';
        return finish(ctx, 'unmet', `every task is done but the final checks fail (${failing})`);
      }
    }
  } catch (err) {
    return stopOnError(ctx, err);
  }
}

/** Returns a reason when the build must stop, else undefined. */
async function runTaskInIteration(ctx: RunContext, task: PlanTask): Promise<string | undefined> {
  const { record } = ctx;
  const current = record.state.tasks[task.id];
  if (current.status === 'done') return undefined;
  const blockers = task.depends_on.filter((d) => record.state.tasks[d]?.status !== 'done');
  if (blockers.length > 0) {
    record.update((s) => { s.tasks[task.id].status = 'blocked'; });
    ctx.bus.emit({ type: 'task.finished', taskId: task.id, status: 'blocked', attempt: current.attempts, reason: `waiting for ${blockers.join(', ')}` });
    return undefined;
  }
  // A task found running was interrupted mid-attempt: continue that attempt, not a new one.
  const resuming = current.status === 'running';
  const attempt = resuming ? current.attempts : current.attempts + 1;
  record.update((s) => { s.tasks[task.id] = { ...s.tasks[task.id], status: 'running', attempts: attempt }; });
  ctx.bus.emit({ type: 'task.started', taskId: task.id, attempt });

  const result = await attemptTask(ctx, task, attempt, current.lastFailure);
  throwIfAborted(ctx);
  record.update((s) => {
    s.tasks[task.id] = {
      status: result.passed ? 'done' : 'failed',
      attempts: attempt,
      lastFailure: result.failure,
      failureHeadline: result.headline,
      summary: result.summary,
    };
    s.failureSignatures.push(...result.signatures);
  });
  ctx.bus.emit({ type: 'task.finished', taskId: task.id, status: result.passed ? 'done' : 'failed', attempt, reason: result.headline });
  const repeated = repeatedSignature(record.state.failureSignatures, SAME_FAILURE_LIMIT);
  if (repeated) return `the same failure repeated ${SAME_FAILURE_LIMIT} times (task ${task.id}: ${result.headline ?? repeated})`;
  return undefined;
}

function throwIfAborted(ctx: RunContext): void {
  if (ctx.signal.aborted) {
    const err = new Error('The build was interrupted');
    err.name = 'AbortError';
    throw err;
  }
}

function stopOnError(ctx: RunContext, err: unknown): RunOutcome {
  if (err instanceof Error && err.name === 'AbortError') {
    return finish(ctx, ctx.signal.reason === 'cancel' ? 'cancelled' : 'paused', 'the build was interrupted; run `munero resume` to continue');
  }
  if (err instanceof ModelUnavailableError) return finish(ctx, 'paused', `${err.message}; run \`munero resume\` when the service is back`);
  if (err instanceof BudgetExceededError) return finish(ctx, 'unmet', err.message);
  if (err instanceof ModelFatalError) {
    const resumable = err.status === 429;
    return finish(ctx, resumable ? 'paused' : 'failed', err.message);
  }
  if (err instanceof PlanningFailedError) return finish(ctx, 'failed', err.message);
  throw err;
}

function finish(ctx: RunContext, outcome: BuildOutcome, reason: string): RunOutcome {
  ctx.record.update((s: BuildState) => {
    s.status = outcome;
    s.stopReason = reason;
    if (outcome !== 'verified') s.requirements = judgeRequirements(s, false);
  });
  return { outcome, reason };
}
