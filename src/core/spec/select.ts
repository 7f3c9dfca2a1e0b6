import { referenceResolver } from './references';
import type { Spec, SpecTask } from './types';

/**
 * The spec narrowed to some requirements (`munero build --only R2,R5`, any spelling of an id), with
 * the tasks of its `tasks.md` that serve them and the tasks those depend on. A prerequisite task
 * kept only for a dependent serves the requirements of the tasks that need it.
 */
export function selectRequirements(spec: Spec, only: string[]): { spec: Spec; unknown: string[] } {
  const resolve = referenceResolver(spec.requirements);
  const unknown = only.filter((ref) => !resolve(ref));
  const wanted = new Set(only.map(resolve).filter((id): id is string => id !== undefined));
  const requirements = spec.requirements.filter((r) => wanted.has(r.id));
  const inside = (line: number) => requirements.some((r) => line >= r.range.startLine && line <= r.range.endLine);
  const insideAny = (line: number) => spec.requirements.some((r) => line >= r.range.startLine && line <= r.range.endLine);
  const selected: Spec = {
    ...spec,
    requirements,
    // A question outside every requirement may concern any of them.
    clarifications: spec.clarifications.filter((c) => inside(c.line) || !insideAny(c.line)),
    tasks: spec.tasks && { ...spec.tasks, items: tasksFor(spec.tasks.items, wanted) },
  };
  return { spec: selected, unknown };
}

function tasksFor(tasks: SpecTask[], wanted: Set<string>): SpecTask[] {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const servedBy = new Map<string, Set<string>>();
  const need = (task: SpecTask, serves: string[]) => {
    const set = servedBy.get(task.id) ?? new Set<string>();
    const before = set.size;
    serves.forEach((s) => set.add(s));
    servedBy.set(task.id, set);
    if (set.size === before && before > 0) return;
    for (const d of task.dependsOn) {
      const dep = byId.get(d);
      if (dep) need(dep, [...set]);
    }
  };
  for (const t of tasks) {
    const serves = t.requirements.filter((r) => wanted.has(r));
    if (serves.length) need(t, serves);
  }
  return tasks
    .filter((t) => servedBy.has(t.id))
    .map((t) => {
      const own = t.requirements.filter((r) => wanted.has(r));
      return { ...t, requirements: own.length ? own : [...servedBy.get(t.id)!], dependsOn: t.dependsOn.filter((d) => servedBy.has(d)) };
    });
}
