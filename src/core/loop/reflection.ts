import { reflectorBrief } from '../agents/prompts';
import { runAgent } from '../agents/runAgent';
import { describeChanges } from '../changes/describe';
import type { NextAction, PlanTask, Reflection } from '../state/buildState';
import { executeTool } from '../tools/executeTool';
import { agentDeps, toolContext, type RunContext } from './context';

/** How many reflections on a task go back into its next attempt. */
export const REFLECTIONS_IN_CONTEXT = 3;
const REFLECTIONS_KEPT = 20;
const MAX_REFLECTION_CHARS = 1200;

/**
 * Asks the reflector why an attempt failed. The reflection is kept on the task, its lesson goes
 * to the learning database under the failure's signature, and its next action steers the loop.
 * Returns undefined when the reflector gave no answer (the loop then simply retries).
 */
export async function reflect(ctx: RunContext, task: PlanTask, attempt: number, failure: string, signature: string, attemptAgents: string[]): Promise<Reflection | undefined> {
  const role = ctx.registry.role('reflector');
  const agentId = `reflector-${task.id}-a${attempt}`;
  const earlier = (ctx.record.state.tasks[task.id]?.reflections ?? []).slice(-REFLECTIONS_IN_CONTEXT);
  const change = describeChanges(ctx.changes.appliedBy(attemptAgents), ctx.record.blobs);
  const result = await runAgent<Reflection>(
    { agentId, role: 'reflector', taskId: task.id, system: role.system, tools: role.tools, brief: reflectorBrief(task, attempt, failure, change, earlier), maxTurns: 3 },
    agentDeps(ctx, role, agentId, task.id),
    async (call) => {
      const checked = await executeTool(call.name, call.input, toolContext(ctx, { agentId, taskId: task.id }));
      if (!checked.ok || call.name !== 'submit_reflection') return { outcome: checked.ok ? { ok: false, error: 'Call submit_reflection.' } : checked };
      const input = call.input as { root_cause: string; lesson: string; next_action: NextAction };
      const reflection: Reflection = {
        attempt,
        root_cause: input.root_cause.slice(0, MAX_REFLECTION_CHARS),
        lesson: input.lesson.slice(0, MAX_REFLECTION_CHARS),
        next_action: input.next_action,
        at: new Date().toISOString(),
      };
      return { outcome: { ok: true, content: 'Reflection recorded.' }, finish: reflection };
    },
  );
  if (result.kind !== 'finished') {
    ctx.bus.emit({ type: 'log', level: 'warn', message: `The reflector gave no reflection on ${task.id}: ${result.reason}` });
    return undefined;
  }
  const reflection = result.value;
  ctx.record.update((s) => {
    const t = s.tasks[task.id];
    t.reflections = [...(t.reflections ?? []), reflection].slice(-REFLECTIONS_KEPT);
  });
  ctx.learning.addLesson({ signature, failureText: failure, lesson: reflection.lesson, rootCause: reflection.root_cause, buildId: ctx.record.state.id, taskId: task.id });
  ctx.bus.emit({ type: 'reflection', taskId: task.id, attempt, rootCause: reflection.root_cause, lesson: reflection.lesson, nextAction: reflection.next_action });
  return reflection;
}
