import { readFileSafely } from '../changes/safeWrite';
import type { BuildOutcome } from '../events/types';
import { describeRecurring } from '../learning';
import { ModelFatalError, ModelUnavailableError } from '../llm/errors';
import { passingTestNames } from '../validation/passingTests';
import { BudgetExceededError } from './budget';
import { checkpointStep } from './checkpointStep';
import type { RunContext } from './context';
import { runIteration } from './coordinator';
import { PlanningFailedError, planBuild, replan } from './planning';
import { abortError } from './taskRunner';
import { describeChange, openFlags } from './testChanges';
import { judgeRequirements } from './verdicts';

/** Plan revisions one build may make, so replanning cannot loop either. */
export const MAX_REPLANS = 3;

export interface RunOutcome {
  outcome: BuildOutcome;
  reason: string;
  /** The API refused in a way waiting cannot fix (key, permission, model, billing, endpoint): only the user can. `status`: the HTTP status, if any. */
  apiRefused?: { status?: number };
}

/**
 * The feedback loop of one build: plan once, then iterations of execute → observe → reflect →
 * replan until every task is done and the checks pass, or a stop rule fires. Each step is
 * persisted before the next starts, so a resumed build continues from the last completed one.
 */
export async function runBuild(ctx: RunContext): Promise<RunOutcome> {
  const { record } = ctx;
  try {
    if (!record.state.plan) await planBuild(ctx);

    while (true) {
      // A revision requested before an interruption is carried out before anything else.
      const pending = record.state.pendingReplan;
      if (pending && !record.state.iterationOpen) await replanOnce(ctx, pending.reason, pending.action);
      const state = record.state;
      if (state.iteration >= state.options.maxIterations && !state.iterationOpen) {
        return finish(ctx, 'unmet', `the iteration limit (${state.options.maxIterations}) was reached`);
      }
      if (!state.iterationOpen) record.update((s) => { s.iteration += 1; s.iterationOpen = true; });
      const iteration = record.state.iteration;
      ctx.bus.emit({ type: 'iteration.started', iteration });

      await runIteration(ctx);
      // Kept in the state by the task that asked, so it outlives an interruption.
      const replanRequest = record.state.pendingReplan;
      const replans = (record.state.planHistory?.length ?? 1) - 1;

      const checks = await ctx.checks.run(`iteration ${iteration}`);
      if (ctx.signal.aborted) throw abortError();
      const tasks = record.state.plan!.tasks;
      const allDone = tasks.every((t) => record.state.tasks[t.id].status === 'done');
      const passed = checks.length > 0 && checks.every((c) => c.passed);
      record.update((s) => {
        s.lastChecks = checks.map(({ name, command, exitCode, passed, durationMs, failures, output }) => ({ name, command, exitCode, passed, durationMs, failures, passedTests: passingTestNames(output) }));
        s.iterationOpen = false;
        if (replans >= MAX_REPLANS) s.pendingReplan = undefined;
        const summary = { iteration, tasks: Object.fromEntries(tasks.map((t) => [t.id, s.tasks[t.id].status])), checksPassed: passed, costUsd: s.usage.costUsd, at: new Date().toISOString() };
        s.iterations = [...(s.iterations ?? []).filter((i) => i.iteration !== iteration), summary];
      });
      judge(ctx, passed);
      checkpointStep(ctx, `iter-${iteration}`, { kind: 'iteration' });
      ctx.bus.emit({ type: 'iteration.finished', iteration, passed: passed && allDone });
      reportRecurring(ctx);
      if (passed && allDone) return finishPassed(ctx);

      if (replanRequest && replans < MAX_REPLANS) {
        await replanOnce(ctx, replanRequest.reason, replanRequest.action);
      } else if (allDone) {
        const failing = checks.filter((c) => !c.passed).map((c) => c.name).join(', ') || 'no check configured';
        const reason = `every task is done but the final checks fail (${failing})`;
        if (record.state.options.reflection === false || replans >= MAX_REPLANS || !(await replanOnce(ctx, reason, 'replan'))) {
          return finish(ctx, 'unmet', reason);
        }
      }
      const stuck = stuckReason(ctx);
      if (stuck) return finish(ctx, 'unmet', stuck);
    }
  } catch (err) {
    return stopOnError(ctx, err);
  }
}

/** Revises the plan, noting the request first so an interruption cannot lose it. */
async function replanOnce(ctx: RunContext, reason: string, action: 'split' | 'replan'): Promise<boolean> {
  ctx.record.update((s) => {
    s.pendingReplan = { reason, action };
  });
  const revised = await replan(ctx, reason, action);
  ctx.record.update((s) => {
    s.pendingReplan = undefined;
  });
  return revised;
}

/** Every unfinished task is escalated, or waits on one that is: nothing more can happen. */
function stuckReason(ctx: RunContext): string | undefined {
  const s = ctx.record.state;
  const tasks = s.plan!.tasks;
  const escalated = tasks.filter((t) => s.tasks[t.id].status === 'escalated');
  if (escalated.length === 0) return undefined;
  const dead = new Set(escalated.map((t) => t.id));
  let grew = true;
  while (grew) {
    grew = false;
    for (const t of tasks) {
      if (!dead.has(t.id) && s.tasks[t.id].status !== 'done' && t.depends_on.some((d) => dead.has(d))) {
        dead.add(t.id);
        grew = true;
      }
    }
  }
  const open = tasks.filter((t) => s.tasks[t.id].status !== 'done');
  if (!open.every((t) => dead.has(t.id))) return undefined;
  return `no task can make progress: ${escalated.map((t) => `${t.id} escalated (${s.tasks[t.id].escalated})`).join('; ')}`;
}

function judge(ctx: RunContext, checksPassed: boolean): void {
  const before = new Map(ctx.record.state.requirements.map((r) => [r.id, r.verdict]));
  ctx.record.update((s) => {
    s.requirements = judgeRequirements(s, checksPassed, (rel) => readFileSafely(ctx.workspaceRoot, rel)?.data.toString('utf8'));
  });
  for (const r of ctx.record.state.requirements) {
    if (before.get(r.id) !== r.verdict) ctx.bus.emit({ type: 'requirement.verdict', id: r.id, verdict: r.verdict, reason: r.reason, verifiedBy: r.verifiedBy, tests: r.tests });
  }
}

function reportRecurring(ctx: RunContext): void {
  for (const f of ctx.learning.recurringFailures(3)) {
    ctx.bus.emit({ type: 'learning', message: `recurring failure: ${describeRecurring(f)}` });
  }
}

function stopOnError(ctx: RunContext, err: unknown): RunOutcome {
  if (err instanceof Error && err.name === 'AbortError') {
    return finish(ctx, ctx.signal.reason === 'cancel' ? 'cancelled' : 'paused', 'the build was interrupted; run `munero resume` to continue');
  }
  if (err instanceof ModelUnavailableError) return finish(ctx, 'paused', err.message);
  if (err instanceof BudgetExceededError) {
    ctx.bus.emit({ type: 'budget', scope: err.scope, cap: err.cap, message: err.message });
    return finish(ctx, 'unmet', `${err.message} (cap: --${err.cap})`);
  }
  // Paused, not failed: once the key, model or limit is fixed, `munero resume` carries on.
  if (err instanceof ModelFatalError) return { ...finish(ctx, 'paused', err.message), apiRefused: { status: err.status } };
  if (err instanceof PlanningFailedError) return finish(ctx, 'failed', err.message);
  throw err;
}

/** Every task done and every check passing: verified, unless a test change awaits the user's approval. */
function finishPassed(ctx: RunContext): RunOutcome {
  const waiting = openFlags(ctx.record.state);
  const untraced = ctx.record.state.requirements.filter((r) => r.verdict === 'passed-untraced').map((r) => r.id);
  if (!waiting.length && untraced.length) {
    return finish(ctx, 'unmet', `every task is done and every check passes, but no passing test names ${untraced.join(', ')} (passed, untraced): name each id in a test, e.g. \`test('${untraced[0]}: …')\``);
  }
  if (!waiting.length) return finish(ctx, 'verified', 'every task is done and every check passes');
  // The iteration stays open, so a resume after the approval runs its checks again and judges anew.
  ctx.record.update((s) => {
    s.iterationOpen = true;
  });
  const changes = waiting.map(describeChange).join('; ');
  return finish(ctx, 'paused', `every task is done and every check passes, but ${changes}: approve with \`munero resume --allow-test-changes\` (or Allow in VS Code) to verify`);
}

function finish(ctx: RunContext, outcome: BuildOutcome, reason: string): RunOutcome {
  // Verdicts rest on the last checks that ran: a task done under passing checks stays verified.
  const last = ctx.record.state.lastChecks ?? [];
  if (outcome !== 'verified') judge(ctx, last.length > 0 && last.every((c) => c.passed));
  ctx.record.update((s) => {
    s.status = outcome;
    s.stopReason = reason;
  });
  return { outcome, reason };
}
