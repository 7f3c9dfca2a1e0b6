import { diffBetween } from '../build/checkpointViews';
import { START_CHECKPOINT } from '../state/checkpoints';
import type { TaskDescription } from '../learning/types';
import type { PlanTask } from '../state/buildState';
import type { RunContext } from './context';

/** Earlier solutions this similar (word overlap of title, description and requirements) are offered. */
export const MIN_REFERENCE_SIMILARITY = 0.6;
/** The stored change of a solution, so a reference costs a bounded part of the brief. */
export const MAX_CHANGE_CHARS = 4000;

export function describeTask(ctx: RunContext, task: PlanTask): TaskDescription {
  return { id: task.id, title: task.title, description: task.description, requirementTexts: ctx.spec.requirements.filter((r) => task.requirements.includes(r.id)).map((r) => r.text) };
}

/**
 * The change of a task that just passed, as a bounded unified diff for the solution cache: from
 * the checkpoint before its first attempt to the one its pass made. Named directly rather than
 * looked up in the timeline, which reads every checkpoint and so made each task of a long build
 * slower than the one before. Undefined when it cannot be read.
 */
export function taskChange(ctx: RunContext, taskId: string, checkpoint: string, files: string[]): string | undefined {
  try {
    const before = ctx.record.state.tasks[taskId]?.checkpointBefore;
    const from = before && ctx.record.checkpoints.exists(before) ? before : START_CHECKPOINT;
    const diff = diffBetween(ctx.record, ctx.workspaceRoot, from, checkpoint, [...files].sort());
    return diff.length > MAX_CHANGE_CHARS ? `${diff.slice(0, MAX_CHANGE_CHARS)}\n… (cut at ${MAX_CHANGE_CHARS} characters)` : diff;
  } catch {
    return undefined;
  }
}

/**
 * The best earlier verified solution (from another build of this workspace) to a task like this
 * one, as a part of the coder's brief; announced on the bus so the report can say how often it
 * was offered and helped.
 */
export function solutionReference(ctx: RunContext, task: PlanTask, attempt: number): string | undefined {
  const buildId = ctx.record.state.id;
  const match = ctx.learning.findSolutions({ task: describeTask(ctx, task), maxResults: 3, minSimilarity: MIN_REFERENCE_SIMILARITY }).find((s) => s.buildId !== buildId);
  if (!match) return undefined;
  ctx.bus.emit({ type: 'solution.offered', taskId: task.id, attempt, fromBuild: match.buildId, title: match.title, similarity: Math.round(match.similarity * 100) / 100 });
  return [
    `A similar task was verified in an earlier build of this workspace (build ${match.buildId}, "${match.title}"). Use it as a reference, not as a given: the files may have changed since.`,
    `Its summary: ${match.changeSummary || '(none)'}`,
    `Files it changed: ${match.files.join(', ') || '(none)'}; checks that passed: ${match.checks.join(', ') || '(none)'}`,
    ...(match.change ? [`Its change:\n${match.change}`] : []),
  ].join('\n');
}
