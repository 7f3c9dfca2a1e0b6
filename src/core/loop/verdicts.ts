import type { BuildState, RequirementVerdict } from '../state/buildState';
import { namesRequirement } from '../validation/passingTests';
import { isTestFile } from '../validation/testFiles';
import { heldRequirements } from './testChanges';

/** Reads a workspace file (relative path) for the judge, or undefined. */
export type ReadTestFile = (rel: string) => string | undefined;

/**
 * A requirement is verified when every task serving it is done, the final checks passed, and a
 * passing test names it (its test name says `R2`, or a test file its tasks wrote says `// R2`);
 * passed-untraced when all that holds but no test names it; never while a weakened test or a
 * changed judge configuration the user has not approved covers it; failed when a task serving it
 * failed; otherwise unverified.
 */
export function judgeRequirements(state: BuildState, finalChecksPassed: boolean, readTestFile: ReadTestFile = () => undefined): RequirementVerdict[] {
  const checks = (state.lastChecks ?? []).filter((c) => c.passed).map((c) => c.command);
  const tasks = state.plan?.tasks ?? [];
  const servingTasks = (id: string) => tasks.filter((t) => t.requirements.includes(id));
  const testsOf = (id: string) => [...new Set(servingTasks(id).flatMap((t) => state.tasks[t.id]?.files ?? []).filter(isTestFile))];
  const held = heldRequirements(state, testsOf);
  const passedTests = (state.lastChecks ?? []).filter((c) => c.passed).flatMap((c) => c.passedTests ?? []);
  return state.requirements.map((req) => {
    const serving = servingTasks(req.id);
    const failedTask = serving.find((t) => state.tasks[t.id]?.status === 'failed');
    const allDone = serving.length > 0 && serving.every((t) => state.tasks[t.id]?.status === 'done');
    if (allDone && finalChecksPassed) {
      const hold = held.get(req.id);
      if (hold) return { ...req, verdict: 'unverified', reason: hold, verifiedBy: undefined, tests: undefined };
      const tests = tracingTests(req.id, passedTests, testsOf(req.id), readTestFile);
      if (!tests.length && state.options.traceability !== false) {
        const reason = `its tasks are done and the checks pass, but no passing test names ${req.id}: name it in a test (\`test('${req.id}: …')\` or a \`// ${req.id}\` comment)`;
        return { ...req, verdict: 'passed-untraced', reason, verifiedBy: undefined, tests: undefined };
      }
      const proof = tests.length ? tests : testsOf(req.id);
      const verifiedBy = `${checks.join(', ') || 'the checks'}${proof.length ? ` (${proof.join(', ')})` : ''}`;
      return { ...req, verdict: 'verified', reason: undefined, verifiedBy, tests: tests.length ? tests : undefined };
    }
    const escalated = serving.find((t) => state.tasks[t.id]?.status === 'escalated');
    if (escalated) return { ...req, verdict: 'failed', reason: `task ${escalated.id} escalated: ${state.tasks[escalated.id].escalated}`, verifiedBy: undefined, tests: undefined };
    if (failedTask) {
      const why = state.tasks[failedTask.id]?.failureHeadline ?? 'its checks failed';
      return { ...req, verdict: 'failed', reason: `task ${failedTask.id} failed: ${why}`, verifiedBy: undefined, tests: undefined };
    }
    const pending = serving.filter((t) => state.tasks[t.id]?.status !== 'done').map((t) => t.id);
    const reason = !state.plan ? 'not planned yet (the build stopped before its plan)' : serving.length === 0 ? 'no task serves it' : pending.length ? `tasks not done: ${pending.join(', ')}` : 'the final checks did not pass';
    return { ...req, verdict: 'unverified', reason, verifiedBy: undefined, tests: undefined };
  });
}

/**
 * The tests that prove a requirement: passing tests whose names name it, else the test files its
 * tasks wrote that name it (a `// R2` comment) and that the passing checks ran.
 */
function tracingTests(id: string, passedTests: string[], taskTestFiles: string[], readTestFile: ReadTestFile): string[] {
  const named = passedTests.filter((name) => namesRequirement(name, id));
  if (named.length) return [...new Set(named)];
  return taskTestFiles.filter((file) => namesRequirement(readTestFile(file) ?? '', id));
}
