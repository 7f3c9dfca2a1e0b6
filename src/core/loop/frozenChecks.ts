import type { FrozenCheck } from '../state/buildState';
import { resolveChecks, runChecks, type CheckCommand, type CheckResult, type RunChecksOptions } from '../validation/checks';
import { runnableCommand } from '../validation/frozenJudge';
import { freezePending } from '../validation/judgeState';
import type { RunContext } from './context';

/** The checks as configured now (spec front matter, config, package.json); a build judges by its frozen ones instead. */
export function liveChecks(ctx: RunContext): CheckCommand[] {
  return resolveChecks(ctx.workspaceRoot, { spec: ctx.spec.settings, config: ctx.config.commands ?? {} });
}

/** The frozen checks, shown as what they run. */
export function frozenChecks(ctx: RunContext): CheckCommand[] {
  const judge = ctx.record.state.judge;
  if (!judge) return liveChecks(ctx);
  return judge.checks.map((c) => ({ name: c.name, command: c.run, source: c.source }));
}

/** Check commands an agent may run itself: the configured ones (`npm test`), and while the build has no test command, what it would be now. */
export function agentCheckCommands(ctx: RunContext): string[] {
  const judge = ctx.record.state.judge;
  if (!judge) return liveChecks(ctx).map((c) => c.command);
  const unsettled = judge.testPending || judge.checks.some((c) => c.pending);
  return [...judge.checks.map((c) => c.command), ...(unsettled ? liveChecks(ctx).map((c) => c.command) : [])];
}

/** Freezes a check the start could not (no test command yet, or a missing script) once the workspace has it; announced on the bus. */
export function freezePendingChecks(ctx: RunContext, scope: string): FrozenCheck[] {
  const judge = ctx.record.state.judge;
  if (!judge || !(judge.testPending || judge.checks.some((c) => c.pending))) return [];
  let frozen: FrozenCheck[] = [];
  ctx.record.update((s) => {
    frozen = freezePending(s.judge!, ctx.workspaceRoot, liveChecks(ctx), scope);
  });
  if (frozen.length) {
    ctx.bus.emit({ type: 'judge.frozen', checks: frozen.map(({ name, command, run, source }) => ({ name, command, run, source })), testFiles: Object.keys(judge.testFiles).length, later: scope });
  }
  return frozen;
}

/**
 * Runs checks as `frozenChecks` lists them: a recorded package script runs with the workspace's
 * `node_modules/.bin` first on PATH, as npm would run it, and is reported by its recorded text.
 * `narrowTest` replaces the frozen test command's text with a narrowed one (some test files only),
 * reported as it ran.
 */
export async function runFrozenChecks(ctx: RunContext, checks: CheckCommand[], opts: RunChecksOptions, narrowTest?: string): Promise<CheckResult[]> {
  const frozen = ctx.record.state.judge?.checks ?? [];
  const shown = checks.map((c) => (c.name === 'test' && narrowTest ? narrowTest : c.command));
  const runnable = checks.map((c, i) => {
    const f = frozen.find((x) => x.name === c.name && x.run === c.command);
    return f ? { ...c, command: runnableCommand(ctx.workspaceRoot, { ...f, run: shown[i], command: f.run === f.command ? shown[i] : f.command }) } : { ...c, command: shown[i] };
  });
  const results = await runChecks(runnable, opts);
  return results.map((r, i) => ({ ...r, command: shown[i] }));
}
