import type { PlanTask } from '../state/buildState';

/**
 * Checks a submitted plan. Every problem is named so the planner can correct it in one go:
 * duplicate ids, unknown dependencies, cycles, unknown requirements, requirements nobody serves.
 */
export function validatePlan(tasks: PlanTask[], requirementIds: string[]): string[] {
  const problems: string[] = [];
  if (tasks.length === 0) problems.push('The plan has no tasks.');
  const ids = new Set<string>();
  for (const t of tasks) {
    if (ids.has(t.id)) problems.push(`Task id "${t.id}" is used more than once.`);
    ids.add(t.id);
  }
  const known = new Set(requirementIds);
  const served = new Set<string>();
  for (const t of tasks) {
    if (t.requirements.length === 0) problems.push(`Task "${t.id}" serves no requirement; name the requirement ids it serves.`);
    for (const r of t.requirements) {
      if (known.has(r)) served.add(r);
      else problems.push(`Task "${t.id}" names unknown requirement "${r}" (known: ${requirementIds.join(', ')}).`);
    }
    for (const d of t.depends_on) {
      if (d === t.id) problems.push(`Task "${t.id}" depends on itself.`);
      else if (!ids.has(d)) problems.push(`Task "${t.id}" depends on unknown task "${d}".`);
    }
  }
  for (const r of requirementIds) {
    if (!served.has(r)) problems.push(`Requirement "${r}" is served by no task.`);
  }
  const cycle = findCycle(tasks);
  if (cycle) problems.push(`The dependencies form a cycle: ${cycle.join(' → ')}.`);
  return problems;
}

function findCycle(tasks: PlanTask[]): string[] | undefined {
  const deps = new Map(tasks.map((t) => [t.id, t.depends_on.filter((d) => d !== t.id)]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === 'done' || !deps.has(id)) return undefined;
    if (state.get(id) === 'visiting') return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, 'visiting');
    stack.push(id);
    for (const d of deps.get(id)!) {
      const found = visit(d);
      if (found) return found;
    }
    stack.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const t of tasks) {
    const found = visit(t.id);
    if (found) return found;
  }
  return undefined;
}

/** Tasks in an order where each comes after its dependencies (plan order breaks ties). */
export function topologicalOrder(tasks: PlanTask[]): PlanTask[] {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const placed = new Set<string>();
  const out: PlanTask[] = [];
  const place = (t: PlanTask) => {
    if (placed.has(t.id)) return;
    placed.add(t.id);
    for (const d of t.depends_on) {
      const dep = byId.get(d);
      if (dep) place(dep);
    }
    out.push(t);
  };
  tasks.forEach(place);
  return out;
}
