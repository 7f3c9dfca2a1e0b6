import type { AttemptContext } from '../agents/prompts';
import { coderBrief } from '../agents/prompts';
import { runAgent } from '../agents/runAgent';
import type { PlanTask } from '../state/buildState';
import { executeTool } from '../tools/executeTool';
import { describeFailure, type CheckResult } from '../validation/checks';
import { agentDeps, checksFor, commandPolicy, toolContext, type RunContext } from './context';
import { describeSelection, selectTestRun } from './checkSelection';
import { freezePendingChecks, runFrozenChecks } from './frozenChecks';
import { takeReviewFeedback } from '../review/feedback';
import { reviewTask } from './review';
import { inspectTestChanges } from './testChanges';
import { callMcpTool, toolsWithMcp } from './mcpTools';

export interface AttemptOutcome {
  passed: boolean;
  /** Compact failure for the next attempt; absent when passed. */
  failure?: string;
  /** One line saying what failed, for people watching. */
  headline?: string;
  /** Signatures of the failed checks, for the repeated-failure guard. */
  signatures: string[];
  /** Failing tests (or failed checks) counted, for the no-progress guard. */
  failing: number;
  /** The agent repeated itself: the loop guard stops the task at once. */
  looped?: boolean;
  summary?: string;
  checks: CheckResult[];
  /** Agents whose changes make up this attempt (the coder, and reviewers if any). */
  agentIds: string[];
}

const MAX_TURNS_DEFAULT = 40;
const MAX_REVIEW_ROUNDS = 2;

export function coderAgentId(taskId: string, attempt: number): string {
  return `coder-${taskId}-a${attempt}`;
}

/** One attempt at a task: a coder agent works (a reviewer may send it back), then the project's checks judge the result. */
export async function attemptTask(ctx: RunContext, task: PlanTask, attempt: number, context: AttemptContext): Promise<AttemptOutcome> {
  const agentId = coderAgentId(task.id, attempt);
  const role = ctx.registry.coderFor(task);
  const options = ctx.record.state.options;
  let reviews = 0;
  const { tools, access } = await toolsWithMcp(ctx, role, agentId);
  const result = await runAgent<string>(
    {
      agentId,
      role: 'coder',
      taskId: task.id,
      system: role.system,
      tools,
      brief: coderBrief(task, ctx.spec.requirements, commandPolicy(ctx).allow, context),
      maxTurns: role.maxTurns ?? options.maxTurnsPerTask ?? MAX_TURNS_DEFAULT,
      maxContextChars: ctx.config.maxContextChars,
    },
    { ...agentDeps(ctx, role, agentId, task.id), takeNotes: () => takeReviewFeedback(ctx.record, task.id) },
    async (call) => {
      const mcp = await callMcpTool(ctx, call, { agentId, taskId: task.id, toolUseId: call.id }, access);
      if (mcp) return mcp;
      const outcome = await executeTool(call.name, call.input, toolContext(ctx, { agentId, taskId: task.id, toolUseId: call.id }));
      if (call.name !== 'task_complete' || !outcome.ok) return { outcome };
      const summary = String((call.input as { summary?: string }).summary ?? '');
      if (options.reviewer && reviews < MAX_REVIEW_ROUNDS) {
        const verdict = await reviewTask(ctx, task, attempt, ++reviews, agentId, summary);
        if (!verdict.approved) {
          return { outcome: { ok: false, error: `The reviewer sent the change back: ${verdict.reasons}\nAddress this, then call task_complete again.` } };
        }
      }
      return { outcome: { ok: true, content: 'Recorded. The project checks run next.' }, finish: summary };
    },
  );
  const agentIds = [agentId];
  if (result.kind === 'gave_up') {
    const failure = `The coder stopped without finishing: ${result.reason}.`;
    return { passed: false, failure, headline: failure, signatures: [`agent:${result.reason}`], failing: Number.MAX_SAFE_INTEGER, looped: result.reason.includes('repeated'), checks: [], agentIds };
  }
  // While the checks run (or wait for a run), this task's slot goes to the next ready task.
  ctx.onChecks?.(task.id, 'waiting');
  const checks = await ctx.checks.run(`task ${task.id}`, [task.id]).finally(() => ctx.onChecks?.(task.id, 'done'));
  if (checks.length === 0) {
    const failure = 'No validation command is configured, so nothing could verify the task.';
    return { passed: false, failure, headline: failure, signatures: ['no-checks'], failing: Number.MAX_SAFE_INTEGER, checks, agentIds };
  }
  const failed = checks.filter((c) => !c.passed);
  if (failed.length === 0) return { passed: true, signatures: [], failing: 0, summary: result.value, checks, agentIds };
  const headline = failed
    .map((c) => (c.failures.length ? `${c.name} failed: ${c.failures[0].name}${c.failures.length > 1 ? ` (+${c.failures.length - 1} more)` : ''}` : `${c.name} failed (exit ${c.exitCode})`))
    .join('; ');
  const failing = failed.reduce((n, c) => n + Math.max(1, c.failures.length), 0);
  return { passed: false, failure: describeFailure(checks), headline, signatures: failed.map((c) => c.signature), failing, summary: result.value, checks, agentIds };
}

/** One run of the checks, reported on the bus: after tasks (`taskIds`) only the tests their changes can affect, else the whole frozen suite. */
export async function runChecksNow(ctx: RunContext, scope: string, taskIds?: string[]): Promise<CheckResult[]> {
  freezePendingChecks(ctx, scope);
  inspectTestChanges(ctx, scope);
  const selection = selectTestRun(ctx, taskIds);
  const narrowTest = selection.mode === 'affected' ? selection.run : undefined;
  const commands = checksFor(ctx);
  ctx.bus.emit({ type: 'validation.started', scope, checks: commands.map((c) => (c.name === 'test' && narrowTest) || c.command), selection });
  if (taskIds) ctx.bus.emit({ type: 'log', level: 'info', message: `  ${describeSelection(scope, selection)}` });
  const checks = await runFrozenChecks(ctx, commands, { runner: ctx.commands, timeoutMs: ctx.checkTimeoutMs, maxOutputChars: 60_000, signal: ctx.signal }, narrowTest);
  ctx.bus.emit({
    type: 'validation.finished',
    scope,
    passed: checks.length > 0 && checks.every((c) => c.passed),
    checks: checks.map(({ name, command, exitCode, passed, durationMs, failures, cpuMs, peakRssBytes }) => ({ name, command, exitCode, passed, durationMs, failures, cpuMs, peakRssBytes })),
  });
  return checks;
}
