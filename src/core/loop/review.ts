import { reviewerBrief } from '../agents/prompts';
import { runAgent } from '../agents/runAgent';
import { describeChanges } from '../changes/describe';
import type { PlanTask } from '../state/buildState';
import { executeTool } from '../tools/executeTool';
import { agentDeps, toolContext, type RunContext } from './context';

export interface ReviewVerdict {
  approved: boolean;
  reasons: string;
}

/**
 * The evaluator in an evaluator-optimizer pair: before a task's change is judged by the checks, a
 * reviewer agent compares it with the requirement text. No answer counts as approval, so a
 * silent reviewer never blocks a build.
 */
export async function reviewTask(ctx: RunContext, task: PlanTask, attempt: number, round: number, coderAgentId: string, summary: string): Promise<ReviewVerdict> {
  const role = ctx.registry.role('reviewer');
  const agentId = `reviewer-${task.id}-a${attempt}-r${round}`;
  const change = describeChanges(ctx.changes.appliedBy([coderAgentId]), ctx.record.blobs);
  const result = await runAgent<ReviewVerdict>(
    { agentId, role: 'reviewer', taskId: task.id, system: role.system, tools: role.tools, brief: reviewerBrief(task, ctx.spec.requirements, change, summary), maxTurns: 8 },
    agentDeps(ctx, role, agentId, task.id),
    async (call) => {
      const outcome = await executeTool(call.name, call.input, toolContext(ctx, { agentId, taskId: task.id }));
      if (call.name !== 'submit_review' || !outcome.ok) return { outcome };
      const input = call.input as { verdict: 'approve' | 'reject'; reasons: string };
      return { outcome: { ok: true, content: 'Review recorded.' }, finish: { approved: input.verdict === 'approve', reasons: input.reasons } };
    },
  );
  const verdict = result.kind === 'finished' ? result.value : { approved: true, reasons: `no review (${result.reason})` };
  ctx.bus.emit({ type: 'review', taskId: task.id, approved: verdict.approved, reasons: verdict.reasons });
  return verdict;
}
