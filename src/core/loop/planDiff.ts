import type { PlanTask } from '../state/buildState';

export interface PlanDiff {
  added: string[];
  removed: string[];
  changed: string[];
}

/** Which task ids a revision added, removed, or changed (title, description, requirements, dependencies or files). */
export function diffPlans(before: PlanTask[], after: PlanTask[]): PlanDiff {
  const old = new Map(before.map((t) => [t.id, t]));
  const now = new Map(after.map((t) => [t.id, t]));
  return {
    added: after.filter((t) => !old.has(t.id)).map((t) => t.id),
    removed: before.filter((t) => !now.has(t.id)).map((t) => t.id),
    changed: after.filter((t) => old.has(t.id) && JSON.stringify(old.get(t.id)) !== JSON.stringify(t)).map((t) => t.id),
  };
}

export function describePlanDiff(d: PlanDiff): string {
  const parts = [
    d.added.length ? `added ${d.added.join(', ')}` : '',
    d.removed.length ? `removed ${d.removed.join(', ')}` : '',
    d.changed.length ? `changed ${d.changed.join(', ')}` : '',
  ].filter(Boolean);
  return parts.join('; ') || 'no change';
}
