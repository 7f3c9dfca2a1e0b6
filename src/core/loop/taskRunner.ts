import type { FailureFollowUp, PlanTask } from '../state/buildState';
import { START_CHECKPOINT } from '../state/checkpoints';
import { checkpointStep, taskCheckpointName } from './checkpointStep';
import { BudgetExceededError } from './budget';
import type { RunContext } from './context';
import { reflect, REFLECTIONS_IN_CONTEXT } from './reflection';
import { attemptTask, type AttemptOutcome } from './taskAttempt';
import { describeTask, solutionReference, taskChange } from './solutionReference';
import { plural } from '../plural';

/** Loop guards: the same failure this many times, or this many attempts without progress, escalate a task. */
export const SAME_FAILURE_LIMIT = 3;
export const NO_PROGRESS_LIMIT = 3;
const LESSON_TOKENS = 400;
const REFLECTION_CHARS = 2000;

/** What a task asks of the loop after its attempt: nothing, or a plan revision. */
export type TaskRequest = { kind: 'none' } | { kind: 'replan'; action: 'split' | 'replan'; reason: string };

/**
 * One attempt at one task inside an iteration, with everything around it: what earlier attempts
 * taught (reflections, lessons), the loop guards, reflection on failure, and the learning
 * database's bookkeeping. Errors that stop the whole build propagate; a task-level cap or a
 * cancelled agent escalates the task and the rest go on.
 */
export async function runTask(ctx: RunContext, task: PlanTask): Promise<TaskRequest> {
  const { record } = ctx;
  const before = record.state.tasks[task.id];
  // Resumed after this iteration's attempt failed: finish what followed it, and attempt no more.
  if (before.status === 'failed' && before.followUp) return followFailure(ctx, task, before.followUp);
  if (before.status === 'failed' && before.iteration === record.state.iteration) return { kind: 'none' };
  const resuming = before.status === 'running';
  const attempt = resuming ? before.attempts : before.attempts + 1;
  const lessons = before.lastFailure
    ? ctx.learning.retrieveLessons({ failureText: before.lastFailure, signature: before.signatures?.at(-1), taskText: `${task.title} ${task.description}`, maxTokens: LESSON_TOKENS })
    : { lessons: [], tokens: 0 };
  const lessonsInUse = resuming ? (before.lessonsInUse ?? []) : lessons.lessons.map((l) => l.id);
  record.update((s) => {
    const checkpointBefore = s.tasks[task.id].checkpointBefore ?? s.lastCheckpoint ?? START_CHECKPOINT;
    s.tasks[task.id] = { ...s.tasks[task.id], status: 'running', attempts: attempt, iteration: s.iteration, lessonsInUse, checkpointBefore };
  });
  ctx.bus.emit({ type: 'task.started', taskId: task.id, attempt });
  if (lessons.lessons.length) ctx.bus.emit({ type: 'learning', message: `${task.id}: ${lessons.lessons.length === 1 ? "a lesson" : `${lessons.lessons.length} lessons`} from earlier failures given to attempt ${attempt}` });

  ctx.guard.taskStarted(task.id);
  let result: AttemptOutcome;
  try {
    result = await attemptTask(ctx, task, attempt, {
      previousFailure: before.lastFailure,
      reflections: boundedReflections(before.reflections ?? []),
      lessons: lessons.lessons.map((l) => l.text),
      reference: solutionReference(ctx, task, attempt),
    });
  } catch (err) {
    return escalateOrThrow(ctx, task, attempt, err);
  } finally {
    const ms = ctx.guard.taskStopped(task.id);
    record.update((s) => {
      s.tasks[task.id].elapsedMs = (s.tasks[task.id].elapsedMs ?? 0) + ms;
    });
  }
  if (ctx.signal.aborted) throw abortError();

  if (result.passed) {
    // Every attempt's changes: a test written by a failed attempt still exercises the requirement.
    const files = [...new Set(ctx.changes.all().filter((c) => c.taskId === task.id && c.status === 'applied').map((c) => c.path))];
    record.update((s) => {
      s.tasks[task.id] = { ...s.tasks[task.id], status: 'done', summary: result.summary, lastFailure: undefined, failureHeadline: undefined, stalled: 0, files: [...new Set([...(s.tasks[task.id].files ?? []), ...files])] };
    });
    const checkpoint = taskCheckpointName(task.id, attempt);
    checkpointStep(ctx, checkpoint, { kind: 'task', taskId: task.id, attempt, files });
    if (lessonsInUse.length) ctx.learning.markOutcome({ lessonIds: lessonsInUse, outcome: 'passed' });
    ctx.learning.recordSolution({
      task: describeTask(ctx, task),
      changeSummary: result.summary ?? '',
      change: taskChange(ctx, task.id, checkpoint, files),
      files,
      checks: result.checks.map((c) => c.command),
      buildId: record.state.id,
    });
    ctx.bus.emit({ type: 'task.finished', taskId: task.id, status: 'done', attempt });
    return { kind: 'none' };
  }

  const signature = result.signatures.join(' | ');
  const previous = before.signatures?.at(-1);
  const failureText = result.failure ?? result.headline ?? signature;
  ctx.learning.recordFailure({ signature, failureText, buildId: record.state.id, taskId: task.id });
  if (lessonsInUse.length) ctx.learning.markOutcome({ lessonIds: lessonsInUse, outcome: signature === previous ? 'same_failure' : 'other_failure' });
  const progressed = result.failing < (before.bestFailing ?? Number.MAX_SAFE_INTEGER);
  // The follow-up is recorded with the failure, so a build killed before it is done does it on resume.
  const followUp: FailureFollowUp = { attempt, failure: failureText, signature, agentIds: result.agentIds, ...(result.looped ? { looped: true } : {}) };
  record.update((s) => {
    const t = s.tasks[task.id];
    s.tasks[task.id] = {
      ...t,
      status: 'failed',
      lastFailure: result.failure,
      failureHeadline: result.headline,
      signatures: [...(t.signatures ?? []), signature].slice(-20),
      bestFailing: Math.min(t.bestFailing ?? Number.MAX_SAFE_INTEGER, result.failing),
      stalled: progressed ? 0 : (t.stalled ?? 0) + 1,
      followUp,
    };
  });
  ctx.bus.emit({ type: 'task.finished', taskId: task.id, status: 'failed', attempt, reason: result.headline });
  return followFailure(ctx, task, followUp);
}

/**
 * What a failed attempt leads to: the loop guards, then the reflector's account and what it asks
 * for (retry, escalate, or a plan revision, noted in the state for the end of the iteration). A
 * reflection made before an interruption is used, not asked for again.
 */
async function followFailure(ctx: RunContext, task: PlanTask, followUp: FailureFollowUp): Promise<TaskRequest> {
  const { attempt, signature } = followUp;
  const t = ctx.record.state.tasks[task.id];
  const headline = t.failureHeadline ?? signature;
  const repeats = (t.signatures ?? []).filter((x) => x === signature).length;
  if (followUp.looped) return escalate(ctx, task, attempt, `loop guard: ${headline}`);
  if (repeats >= SAME_FAILURE_LIMIT) return escalate(ctx, task, attempt, `the same failure repeated ${repeats} times (${headline})`);
  if ((t.stalled ?? 0) >= NO_PROGRESS_LIMIT) return escalate(ctx, task, attempt, `no new passing check in ${plural(t.stalled ?? 0, 'attempt')} (${headline})`);

  if (ctx.record.state.options.reflection === false) return settle(ctx, task);
  let reflection = t.reflections?.find((r) => r.attempt === attempt);
  if (!reflection) {
    try {
      reflection = await reflect(ctx, task, attempt, followUp.failure, signature, followUp.agentIds);
    } catch (err) {
      return escalateOrThrow(ctx, task, attempt, err);
    }
  }
  if (!reflection) return settle(ctx, task);
  if (reflection.next_action === 'escalate') return escalate(ctx, task, attempt, `the reflector escalated it: ${reflection.root_cause}`);
  if (reflection.next_action === 'split' || reflection.next_action === 'replan') {
    const request = { kind: 'replan' as const, action: reflection.next_action, reason: `${task.id} failed (${headline}); reflection: ${reflection.root_cause}` };
    return settle(ctx, task, request);
  }
  return settle(ctx, task);
}

/** The failed attempt is fully followed up; a plan revision it asks for waits for the end of the iteration. */
function settle(ctx: RunContext, task: PlanTask, request?: Extract<TaskRequest, { kind: 'replan' }>): TaskRequest {
  ctx.record.update((s) => {
    s.tasks[task.id].followUp = undefined;
    if (request) s.pendingReplan ??= { reason: request.reason, action: request.action };
  });
  return request ?? { kind: 'none' };
}

/** A task's own cap, or the user cancelling one of its agents, escalates the task; anything else stops the build. */
function escalateOrThrow(ctx: RunContext, task: PlanTask, attempt: number, err: unknown): TaskRequest {
  if (err instanceof BudgetExceededError && err.scope === 'task') {
    ctx.bus.emit({ type: 'budget', scope: `task ${task.id}`, cap: err.cap, message: err.message });
    return escalate(ctx, task, attempt, err.message);
  }
  const cancelled = isAbort(err) && !ctx.signal.aborted ? ctx.agents.cancelledAgentOf(task.id) : undefined;
  if (cancelled) return escalate(ctx, task, attempt, `agent ${cancelled} was cancelled by the user`);
  throw err;
}

function escalate(ctx: RunContext, task: PlanTask, attempt: number, reason: string): TaskRequest {
  ctx.record.update((s) => {
    s.tasks[task.id] = { ...s.tasks[task.id], status: 'escalated', escalated: reason, followUp: undefined };
  });
  ctx.bus.emit({ type: 'task.finished', taskId: task.id, status: 'escalated', attempt, reason });
  return { kind: 'none' };
}

/** The newest reflections, bounded in size so the attempt's context does not grow with failures. */
function boundedReflections<T extends { root_cause: string; lesson: string }>(all: T[]): T[] {
  const out: T[] = [];
  let chars = 0;
  for (const r of all.slice(-REFLECTIONS_IN_CONTEXT).reverse()) {
    chars += r.root_cause.length + r.lesson.length;
    if (chars > REFLECTION_CHARS && out.length) break;
    out.unshift(r);
  }
  return out;
}

function isAbort(err: unknown): boolean {
  return err instanceof Error && err.name === 'AbortError';
}

export function abortError(): Error {
  const err = new Error('The build was interrupted');
  err.name = 'AbortError';
  return err;
}
