import { plannerBrief, replanBrief, writtenTasksBrief } from '../agents/prompts';
import { runAgent } from '../agents/runAgent';
import type { PlanTask } from '../state/buildState';
import { executeTool } from '../tools/executeTool';
import { agentDeps, checksFor, toolContext, type RunContext } from './context';
import { describePlanDiff, diffPlans } from './planDiff';
import { validatePlan } from './planValidation';
import { plural } from '../plural';

const MAX_PLAN_SUBMISSIONS = 4;

export class PlanningFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanningFailedError';
  }
}

/**
 * Stores version 1 of the plan. The tasks of the spec folder's tasks.md are that plan when they
 * serve every requirement; otherwise the planner starts from them (keeping those that name
 * requirements) and fills the gaps. Without a tasks.md the planner plans from nothing.
 */
export async function planBuild(ctx: RunContext): Promise<PlanTask[]> {
  const requirementIds = ctx.spec.requirements.map((r) => r.id);
  const written = writtenPlan(ctx);
  if (written.length && validatePlan(written, requirementIds).length === 0) {
    storePlan(ctx, written, `the tasks of ${ctx.spec.tasks!.path}`);
    return written;
  }
  const outline = await workspaceOutline(ctx);
  const testCommand = checksFor(ctx).find((c) => c.name === 'test')?.command;
  let brief = plannerBrief(ctx.spec.requirements, outline, testCommand);
  const keep = written.filter((t) => t.requirements.length > 0);
  if (written.length) {
    const served = new Set(keep.flatMap((t) => t.requirements));
    brief += '\n\n' + writtenTasksBrief(written, requirementIds.filter((id) => !served.has(id)));
  }
  const tasks = await runPlanner(ctx, 'planner', brief, keep);
  if (!tasks) throw new PlanningFailedError('The planner did not produce a valid plan.');
  storePlan(ctx, tasks, written.length ? `the tasks of ${ctx.spec.tasks!.path}, completed by the planner` : 'initial plan');
  return tasks;
}

/** The spec's tasks.md as plan tasks. */
function writtenPlan(ctx: RunContext): PlanTask[] {
  return (ctx.spec.tasks?.items ?? []).map((t) => ({
    id: t.id,
    title: t.title,
    description: t.description,
    requirements: t.requirements,
    depends_on: t.dependsOn,
    files: t.files,
  }));
}

/**
 * Asks the planner to revise the plan (split a task, add a fix task, reorder, drop redundant
 * ones). Done tasks must survive unchanged. Returns false when no valid revision came back, in
 * which case the old plan stands.
 */
export async function replan(ctx: RunContext, reason: string, action: 'split' | 'replan'): Promise<boolean> {
  const s = ctx.record.state;
  const version = (s.plan?.version ?? 0) + 1;
  const current = (s.plan?.tasks ?? []).map((task) => ({ task, status: s.tasks[task.id]?.status ?? 'pending' }));
  const keep = current.filter((c) => c.status === 'done').map((c) => c.task);
  const tasks = await runPlanner(ctx, `planner-v${version}`, replanBrief(ctx.spec.requirements, current, reason, action), keep);
  if (!tasks) {
    ctx.bus.emit({ type: 'log', level: 'warn', message: `Replanning (${action}) produced no valid plan; the plan stays as it was.` });
    return false;
  }
  storePlan(ctx, tasks, reason);
  return true;
}

async function runPlanner(ctx: RunContext, agentId: string, brief: string, keep: PlanTask[]): Promise<PlanTask[] | undefined> {
  const role = ctx.registry.role('planner');
  const requirementIds = ctx.spec.requirements.map((r) => r.id);
  let submissions = 0;
  const result = await runAgent<PlanTask[]>(
    { agentId, role: 'planner', system: role.system, tools: role.tools, brief, maxTurns: MAX_PLAN_SUBMISSIONS + 2 },
    agentDeps(ctx, role, agentId),
    async (call) => {
      if (call.name !== 'submit_plan') return { outcome: { ok: false, error: `Unknown tool "${call.name}". Call submit_plan.` } };
      submissions++;
      const checked = await executeTool('submit_plan', call.input, toolContext(ctx, { agentId }));
      if (!checked.ok) return { outcome: checked };
      const tasks = normalise((call.input as { tasks: PlanTask[] }).tasks);
      const problems = [...validatePlan(tasks, requirementIds), ...keptUnchanged(keep, tasks)];
      if (problems.length > 0) {
        ctx.bus.emit({ type: 'plan.rejected', attempt: submissions, errors: problems });
        const left = MAX_PLAN_SUBMISSIONS - submissions;
        return { outcome: { ok: false, error: `The plan was refused:\n- ${problems.join('\n- ')}\nFix all of these and call submit_plan again (${left} submissions left).` } };
      }
      return { outcome: { ok: true, content: `Plan accepted: ${plural(tasks.length, 'task')}.` }, finish: tasks };
    },
  );
  return result.kind === 'finished' ? result.value : undefined;
}

function keptUnchanged(keep: PlanTask[], tasks: PlanTask[]): string[] {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  return keep
    .filter((k) => {
      const t = byId.get(k.id);
      return !t || t.title !== k.title || t.requirements.join() !== k.requirements.join();
    })
    .map((k) => `Task "${k.id}" is done and must stay in the plan unchanged (title "${k.title}", requirements ${k.requirements.join(', ')}).`);
}

function storePlan(ctx: RunContext, tasks: PlanTask[], reason: string): void {
  const before = ctx.record.state.plan?.tasks ?? [];
  const version = (ctx.record.state.plan?.version ?? 0) + 1;
  const diff = diffPlans(before, tasks);
  ctx.record.update((s) => {
    s.plan = { version, tasks };
    s.planHistory = [...(s.planHistory ?? []), { version, tasks, reason, at: new Date().toISOString() }];
    // Asked for and now made, in the same write: a resume must not revise the plan again.
    s.pendingReplan = undefined;
    const states = s.tasks;
    s.tasks = {};
    for (const t of tasks) {
      const old = states[t.id];
      const changed = diff.changed.includes(t.id);
      const settled = old && (old.status === 'done' || (old.status === 'escalated' && !changed));
      s.tasks[t.id] = settled ? old : { ...(old ?? { attempts: 0 }), status: 'pending', escalated: undefined, ...(changed ? { stalled: 0 } : {}) };
    }
  });
  if (version === 1) {
    ctx.bus.emit({ type: 'plan.accepted', version, tasks: tasks.map((t) => ({ id: t.id, title: t.title, requirements: t.requirements, dependsOn: t.depends_on })) });
  } else {
    ctx.bus.emit({ type: 'plan.revised', version, reason, ...diff });
    ctx.bus.emit({ type: 'plan.accepted', version, tasks: tasks.map((t) => ({ id: t.id, title: t.title, requirements: t.requirements, dependsOn: t.depends_on })) });
    ctx.bus.emit({ type: 'log', level: 'info', message: `Plan v${version}: ${describePlanDiff(diff)} (${reason})` });
  }
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
