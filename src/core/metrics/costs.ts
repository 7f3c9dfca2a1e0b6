import type { MuneroEvent } from '../events/types';
import type { PlanTask } from '../state/buildState';
import type { CostRow } from './types';

/** Shown for cost no single task or requirement caused: planning, replanning. */
export const SHARED = '(planning and shared)';

/**
 * Tokens and cost by agent role, task and requirement, from the usage events. A task's cost is
 * shared evenly by the requirements it serves.
 */
export function costsOf(events: readonly MuneroEvent[], tasks: readonly PlanTask[]): { byRole: CostRow[]; byTask: CostRow[]; byRequirement: CostRow[] } {
  const roleOfAgent = new Map<string, string>();
  const byRole = new Map<string, CostRow>();
  const byTask = new Map<string, CostRow>();
  const byRequirement = new Map<string, CostRow>();
  const serves = new Map(tasks.map((t) => [t.id, t.requirements]));
  for (const e of events) {
    if (e.type === 'agent.state') roleOfAgent.set(e.agentId, e.role);
    if (e.type !== 'usage') continue;
    const u = e.request;
    const tokens = { input: u.inputTokens + u.cacheReadTokens + u.cacheWriteTokens, output: u.outputTokens };
    add(byRole, e.role ?? roleOfAgent.get(e.agentId) ?? e.agentId, tokens, u.costUsd, 1);
    add(byTask, e.taskId ?? SHARED, tokens, u.costUsd, 1);
    const requirements = (e.taskId && serves.get(e.taskId)) || [];
    if (requirements.length === 0) add(byRequirement, SHARED, tokens, u.costUsd, 1);
    for (const r of requirements) add(byRequirement, r, tokens, u.costUsd, 1 / requirements.length);
  }
  const sorted = (m: Map<string, CostRow>) => [...m.values()].sort((a, b) => b.costUsd - a.costUsd || a.key.localeCompare(b.key));
  return { byRole: sorted(byRole), byTask: sorted(byTask), byRequirement: sorted(byRequirement) };
}

function add(rows: Map<string, CostRow>, key: string, tokens: { input: number; output: number }, costUsd: number, share: number): void {
  const row = rows.get(key) ?? rows.set(key, { key, requests: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 }).get(key)!;
  row.requests += share;
  row.inputTokens += Math.round(tokens.input * share);
  row.outputTokens += Math.round(tokens.output * share);
  row.costUsd += costUsd * share;
}
