import { checkCommand } from './commandPolicy';
import type { CommandResult } from './runCommand';
import { ToolError, type ToolHandler } from './toolError';

export interface RunCommandInput {
  command: string;
  timeout_s?: number;
}

const HEADER_ROOM = 200;

export const runCommandTool: ToolHandler<RunCommandInput> = async (input, ctx) => {
  const check = checkCommand(input.command, ctx.policy);
  if (!check.allowed) throw new ToolError(check.reason);
  const { defaultCommandTimeoutS, maxCommandTimeoutS } = ctx.limits;
  const timeoutS = Math.min(input.timeout_s ?? defaultCommandTimeoutS, maxCommandTimeoutS);
  const result = await ctx.commands.run({
    command: input.command.trim(),
    timeoutMs: Math.round(timeoutS * 1000),
    // Room for the status lines, so the result cap does not cut the output a second time.
    maxOutputChars: Math.max(0, ctx.limits.maxResultChars - HEADER_ROOM),
    signal: ctx.signal,
    origin: ctx.origin,
  });
  const started = result.exitCode !== null || result.signal !== null || result.timedOut || result.cancelled;
  if (!started) throw new ToolError(`Could not run ${JSON.stringify(result.command)}: ${result.output}`);
  return formatCommandResult(result, timeoutS);
};

/** A command's result as the model reads it: how it ended first, then its output. */
export function formatCommandResult(r: CommandResult, timeoutS: number): string {
  const seconds = (r.durationMs / 1000).toFixed(1);
  let status: string;
  if (r.timedOut) status = `timed out after ${timeoutS} s and was stopped`;
  else if (r.cancelled) status = 'cancelled';
  else if (r.exitCode !== null) status = `exit code ${r.exitCode}`;
  else status = `killed by signal ${r.signal ?? 'unknown'}`;
  const size = r.outputTruncated ? ` (${r.totalOutputBytes} bytes in all; the middle is omitted)` : '';
  const output = r.output.trim() === '' ? '(no output)' : r.output;
  return `$ ${r.command}\n${status}, ${seconds} s\noutput${size}:\n${output}`;
}
