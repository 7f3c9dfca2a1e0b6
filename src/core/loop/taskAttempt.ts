import { CODER_SYSTEM, coderBrief } from '../agents/prompts';
import { runAgent } from '../agents/runAgent';
import type { PlanTask } from '../state/buildState';
import { CODER_TOOLS } from '../tools/definitions';
import { executeTool } from '../tools/executeTool';
import { describeFailure, runChecks, type CheckResult } from '../validation/checks';
import { agentDeps, checksFor, commandPolicy, toolContext, type RunContext } from './context';

export interface AttemptOutcome {
  passed: boolean;
  /** Compact failure for the next attempt; absent when passed. */
  failure?: string;
  /** One line saying what failed, for people watching. */
  headline?: string;
  /** Signatures of the failed checks, for the repeated-failure stop rule. */
  signatures: string[];
  summary?: string;
  checks: CheckResult[];
}

const MAX_TURNS_DEFAULT = 40;

export function coderAgentId(taskId: string, attempt: number): string {
  return `coder-${taskId}-a${attempt}`;
}

/** One attempt at a task: a coder agent works, then the project's checks judge the result. */
export async function attemptTask(ctx: RunContext, task: PlanTask, attempt: number, previousFailure?: string): Promise<AttemptOutcome> {
  const agentId = coderAgentId(task.id, attempt);
  const result = await runAgent<string>(
    {
      agentId,
      role: 'coder',
      taskId: task.id,
      system: CODER_SYSTEM,
      tools: CODER_TOOLS,
      brief: coderBrief(task, ctx.spec.requirements, commandPolicy(ctx).allow, previousFailure),
      maxTurns: ctx.record.state.options.maxTurnsPerTask ?? MAX_TURNS_DEFAULT,
    },
    agentDeps(ctx, agentId, task.id),
    async (call) => {
      const outcome = await executeTool(call.name, call.input, toolContext(ctx, { agentId, taskId: task.id, toolUseId: call.id }));
      if (call.name === 'task_complete' && outcome.ok) {
        return { outcome: { ok: true, content: 'Recorded. The project checks run next.' }, finish: String((call.input as { summary?: string }).summary ?? '') };
      }
      return { outcome };
    },
  );
  if (result.kind === 'gave_up') {
    const failure = `The coder stopped without finishing: ${result.reason}.`;
    return { passed: false, failure, headline: failure, signatures: [`agent:${result.reason}`], checks: [] };
  }
  const checks = await validate(ctx, `task ${task.id}`);
  if (checks.length === 0) {
    const failure = 'No validation command is configured, so nothing could verify the task.';
    return { passed: false, failure, headline: failure, signatures: ['no-checks'], checks };
  }
  const failed = checks.filter((c) => !c.passed);
  if (failed.length === 0) return { passed: true, signatures: [], summary: result.value, checks };
  const headline = failed
    .map((c) => (c.failures.length ? `${c.name} failed: ${c.failures[0].name}${c.failures.length > 1 ? ` (+${c.failures.length - 1} more)` : ''}` : `${c.name} failed (exit ${c.exitCode})`))
    .join('; ');
  return { passed: false, failure: describeFailure(checks), headline, signatures: failed.map((c) => c.signature), summary: result.value, checks };
}

/** Runs the configured checks and reports them on the bus. */
export async function validate(ctx: RunContext, scope: string): Promise<CheckResult[]> {
  const commands = checksFor(ctx);
  ctx.bus.emit({ type: 'validation.started', scope, checks: commands.map((c) => c.command) });
  const checks = await runChecks(commands, {
    cwd: ctx.workspaceRoot,
    timeoutMs: ctx.checkTimeoutMs,
    maxOutputChars: 60_000,
    signal: ctx.signal,
  });
  ctx.bus.emit({
    type: 'validation.finished',
    scope,
    passed: checks.length > 0 && checks.every((c) => c.passed),
    checks: checks.map(({ name, command, exitCode, passed, durationMs, failures }) => ({ name, command, exitCode, passed, durationMs, failures })),
  });
  return checks;
}
