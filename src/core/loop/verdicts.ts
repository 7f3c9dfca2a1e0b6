import type { BuildState, RequirementVerdict } from '../state/buildState';

/**
 * A requirement is verified when every task serving it is done and the final checks passed;
 * failed when a task serving it failed; otherwise unverified.
 */
export function judgeRequirements(state: BuildState, finalChecksPassed: boolean): RequirementVerdict[] {
  const tasks = state.plan?.tasks ?? [];
  return state.requirements.map((req) => {
    const serving = tasks.filter((t) => t.requirements.includes(req.id));
    const failedTask = serving.find((t) => state.tasks[t.id]?.status === 'failed');
    const allDone = serving.length > 0 && serving.every((t) => state.tasks[t.id]?.status === 'done');
    if (allDone && finalChecksPassed) return { ...req, verdict: 'verified', reason: undefined };
    if (failedTask) {
      const why = state.tasks[failedTask.id]?.failureHeadline ?? 'its checks failed';
      return { ...req, verdict: 'failed', reason: `task ${failedTask.id} failed: ${why}` };
    }
    const pending = serving.filter((t) => state.tasks[t.id]?.status !== 'done').map((t) => t.id);
    const reason = serving.length === 0 ? 'no task serves it' : pending.length ? `tasks not done: ${pending.join(', ')}` : 'the final checks did not pass';
    return { ...req, verdict: 'unverified', reason };
  });
}

/** The first signature seen `limit` times, if any. */
export function repeatedSignature(signatures: string[], limit: number): string | undefined {
  const counts = new Map<string, number>();
  for (const s of signatures) {
    const n = (counts.get(s) ?? 0) + 1;
    counts.set(s, n);
    if (n >= limit) return s;
  }
  return undefined;
}
