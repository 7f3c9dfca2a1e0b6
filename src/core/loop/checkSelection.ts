import type { TestSelection } from '../events/types';
import { plural } from '../plural';
import { selectAffectedTests } from '../validation/affectedTests';
import { ImportGraph } from '../validation/importGraph';
import { narrowTestCommand } from '../validation/relatedCommand';
import { findTestFiles } from '../validation/testFiles';
import type { RunContext } from './context';
import { openFlags } from './testChanges';


/** One import graph per running build: files are reread only when they change. */
const graphs = new WeakMap<RunContext, ImportGraph>();

/**
 * The test run a check after these tasks needs: only the tests their changes can affect, run by
 * the frozen test command narrowed in its runner's own way; the whole frozen suite when no tasks
 * are named (an iteration's end), when the workspace turned this off (`checks.affectedOnly: false`),
 * or when the selection cannot be made safely, with the reason.
 */
export function selectTestRun(ctx: RunContext, taskIds: string[] | undefined): TestSelection {
  if (!taskIds) return { mode: 'full', reason: 'the whole frozen suite ends each iteration' };
  if (ctx.config.checks?.affectedOnly === false) return { mode: 'full', reason: 'checks.affectedOnly is false in .munero/config.json' };
  const test = ctx.record.state.judge?.checks.find((c) => c.name === 'test' && !c.pending);
  if (!test) return { mode: 'full', reason: 'no test command is frozen yet' };
  const config = openFlags(ctx.record.state).find((f) => f.kind === 'config');
  if (config) return { mode: 'full', reason: `the judge's configuration changed (${config.file})` };
  const changed = [...new Set(ctx.changes.all().filter((c) => c.taskId && taskIds.includes(c.taskId)).map((c) => c.path))].sort();
  const requirements = [...new Set((ctx.record.state.plan?.tasks ?? []).filter((t) => taskIds.includes(t.id)).flatMap((t) => t.requirements))];
  const found = findTestFiles(ctx.workspaceRoot);
  if (found.capped) return { mode: 'full', reason: 'the workspace has more test files than Munero lists' };
  let graph = graphs.get(ctx);
  if (!graph) graphs.set(ctx, (graph = new ImportGraph(ctx.workspaceRoot)));
  const selection = selectAffectedTests({ workspaceRoot: ctx.workspaceRoot, graph, changed, requirements, testFiles: found.files });
  if (selection.kind === 'full') return { mode: 'full', reason: selection.reason };
  const narrowed = narrowTestCommand(test.run, ctx.workspaceRoot, { tests: selection.tests, changed });
  if ('reason' in narrowed) return { mode: 'full', reason: narrowed.reason };
  return { mode: 'affected', runner: narrowed.runner, run: narrowed.command, tests: narrowed.tests, why: selection.why, total: found.files.length };
}

/** One log line: what ran and why. */
export function describeSelection(scope: string, s: TestSelection): string {
  if (s.mode === 'full') return `checks for ${scope}: the whole test suite (${s.reason})`;
  const shown = s.tests.slice(0, 8).map((t) => `${t} (${s.why[t] ?? 'related'})`).join(', ');
  const more = s.tests.length > 8 ? `, and ${s.tests.length - 8} more` : '';
  return `checks for ${scope}: ${s.tests.length} of ${plural(s.total, 'test file')} by ${s.runner}: ${shown}${more}`;
}
