import type { BuildState, RequirementVerdict } from '../state/buildState';
import { isTestFile } from '../validation/testFiles';
import { heldRequirements } from './testChanges';

/**
 * A requirement is verified when every task serving it is done and the final checks passed,
 * unless a weakened test or a changed judge configuration the user has not approved covers it;
 * failed when a task serving it failed; otherwise unverified.
 */
export function judgeRequirements(state: BuildState, finalChecksPassed: boolean): RequirementVerdict[] {
  const checks = (state.lastChecks ?? []).filter((c) => c.passed).map((c) => c.command);
  const tasks = state.plan?.tasks ?? [];
  const servingTasks = (id: string) => tasks.filter((t) => t.requirements.includes(id));
  const testsOf = (id: string) => [...new Set(servingTasks(id).flatMap((t) => state.tasks[t.id]?.files ?? []).filter(isTestFile))];
  const held = heldRequirements(state, testsOf);
  return state.requirements.map((req) => {
    const serving = servingTasks(req.id);
    const failedTask = serving.find((t) => state.tasks[t.id]?.status === 'failed');
    const allDone = serving.length > 0 && serving.every((t) => state.tasks[t.id]?.status === 'done');
    if (allDone && finalChecksPassed) {
      const hold = held.get(req.id);
      if (hold) return { ...req, verdict: 'unverified', reason: hold, verifiedBy: undefined };
      const tests = testsOf(req.id);
      const verifiedBy = `${checks.join(', ') || 'the checks'}${tests.length ? ` (${tests.join(', ')})` : ''}`;
      return { ...req, verdict: 'verified', reason: undefined, verifiedBy };
    }
    const escalated = serving.find((t) => state.tasks[t.id]?.status === 'escalated');
    if (escalated) return { ...req, verdict: 'failed', reason: `task ${escalated.id} escalated: ${state.tasks[escalated.id].escalated}`, verifiedBy: undefined };
    if (failedTask) {
      const why = state.tasks[failedTask.id]?.failureHeadline ?? 'its checks failed';
      return { ...req, verdict: 'failed', reason: `task ${failedTask.id} failed: ${why}`, verifiedBy: undefined };
    }
    const pending = serving.filter((t) => state.tasks[t.id]?.status !== 'done').map((t) => t.id);
    const reason = serving.length === 0 ? 'no task serves it' : pending.length ? `tasks not done: ${pending.join(', ')}` : 'the final checks did not pass';
    return { ...req, verdict: 'unverified', reason, verifiedBy: undefined };
  });
}
