import { PLANNER_SYSTEM, plannerBrief } from '../agents/prompts';
import { runAgent } from '../agents/runAgent';
import type { PlanTask } from '../state/buildState';
import { executeTool } from '../tools/executeTool';
import { PLANNER_TOOLS } from '../tools/definitions';
import { agentDeps, checksFor, toolContext, type RunContext } from './context';
import { validatePlan } from './planValidation';

const MAX_PLAN_SUBMISSIONS = 4;

export class PlanningFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanningFailedError';
  }
}

/** Runs the planner until it submits a valid plan (bounded), and stores the plan as version 1. */
export async function planBuild(ctx: RunContext): Promise<PlanTask[]> {
  const agentId = 'planner';
  const requirementIds = ctx.spec.requirements.map((r) => r.id);
  const outline = await workspaceOutline(ctx);
  let submissions = 0;
  const result = await runAgent<PlanTask[]>(
    {
      agentId,
      role: 'planner',
      system: PLANNER_SYSTEM,
      tools: PLANNER_TOOLS,
      brief: plannerBrief(ctx.spec.requirements, outline, checksFor(ctx).find((c) => c.name === 'test')?.command),
      maxTurns: MAX_PLAN_SUBMISSIONS + 2,
    },
    agentDeps(ctx, agentId),
    async (call) => {
      if (call.name !== 'submit_plan') return { outcome: { ok: false, error: `Unknown tool "${call.name}". Call submit_plan.` } };
      submissions++;
      const checked = await executeTool('submit_plan', call.input, toolContext(ctx, { agentId }));
      if (!checked.ok) return { outcome: checked };
      const tasks = normalise((call.input as { tasks: PlanTask[] }).tasks);
      const problems = validatePlan(tasks, requirementIds);
      if (problems.length > 0) {
        ctx.bus.emit({ type: 'plan.rejected', attempt: submissions, errors: problems });
        const left = MAX_PLAN_SUBMISSIONS - submissions;
        return { outcome: { ok: false, error: `The plan was refused:\n- ${problems.join('\n- ')}\nFix all of these and call submit_plan again (${left} submissions left).` } };
      }
      return { outcome: { ok: true, content: `Plan accepted: ${tasks.length} tasks.` }, finish: tasks };
    },
  );
  if (result.kind !== 'finished') {
    throw new PlanningFailedError(`The planner did not produce a valid plan: ${result.reason}.`);
  }
  return result.value;
}

function normalise(tasks: PlanTask[]): PlanTask[] {
  return tasks.map((t) => ({
    id: String(t.id),
    title: String(t.title),
    description: String(t.description ?? ''),
    requirements: [...(t.requirements ?? [])],
    depends_on: [...(t.depends_on ?? [])],
    files: [...(t.files ?? [])],
  }));
}

async function workspaceOutline(ctx: RunContext): Promise<string> {
  const listing = await executeTool('list_files', {}, toolContext(ctx, { agentId: 'planner' }));
  return listing.ok ? listing.content : '(empty workspace)';
}
