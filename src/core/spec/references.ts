import { idKey } from './ids';
import type { Requirement } from './types';

/**
 * Resolves a reference as tasks and other tools write it to a requirement id: the id itself in any
 * spelling (`US1` for `US-1`, `FR1` for `FR-001`), a criterion id (`REQ-2.3`), Kiro's bare criterion
 * number (`2.3` is criterion 3 of Requirement 2) or requirement number (`2`), "Requirement 2".
 */
export function referenceResolver(requirements: Requirement[]): (ref: string) => string | undefined {
  const byKey = new Map<string, string>();
  for (const r of requirements) {
    for (const c of r.criteria) byKey.set(idKey(c.id), r.id);
    byKey.set(idKey(r.id), r.id);
  }
  return (ref) => {
    const text = ref.trim().replace(/^requirement\s+/i, '');
    const numeric = /^(\d+)(?:\.(\d+))?$/.exec(text);
    if (numeric) {
      return byKey.get(idKey(`REQ-${text}`)) ?? byKey.get(idKey(`STORY-${text}`)) ?? byKey.get(idKey(`REQ-${numeric[1]}`));
    }
    return byKey.get(idKey(text));
  };
}
