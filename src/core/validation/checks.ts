import fs from 'node:fs';
import path from 'node:path';
import type { CheckSummary } from '../events/types';
import type { CommandRunner } from '../tools/commandRunner';
import { failureSignature, parseTestOutput, type TestReport } from './testOutput';

export type CheckName = 'test' | 'typecheck' | 'lint';

export interface CheckCommand {
  name: CheckName;
  command: string;
  /** Where the command came from, for the report (absent for commands made up on the spot). */
  source?: string;
}

export interface CheckResult extends CheckSummary {
  output: string;
  report: TestReport;
  signature: string;
  timedOut: boolean;
}

export interface CheckSources {
  spec: { test_command?: string; typecheck_command?: string; lint_command?: string };
  config: { test?: string; typecheck?: string; lint?: string };
}

/**
 * The validation commands, each from the spec's front matter, else `.munero/config.json`;
 * the test command falls back to `npm test` when package.json has a test script. A build
 * resolves them once, at its start (see loop/frozenChecks.ts), and again only while it has no test command.
 */
export function resolveChecks(workspaceRoot: string, sources: CheckSources): CheckCommand[] {
  const checks: CheckCommand[] = [];
  const pick = (fromSpec: string | undefined, fromConfig: string | undefined, field: string) =>
    fromSpec ? { command: fromSpec, source: `the spec's ${field}_command` } : fromConfig ? { command: fromConfig, source: `.munero/config.json commands.${field}` } : undefined;
  const test = pick(sources.spec.test_command, sources.config.test, 'test') ?? (hasNpmTestScript(workspaceRoot) ? { command: 'npm test', source: 'package.json, which has a test script' } : undefined);
  if (test) checks.push({ name: 'test', ...test });
  const typecheck = pick(sources.spec.typecheck_command, sources.config.typecheck, 'typecheck');
  if (typecheck) checks.push({ name: 'typecheck', ...typecheck });
  const lint = pick(sources.spec.lint_command, sources.config.lint, 'lint');
  if (lint) checks.push({ name: 'lint', ...lint });
  return checks;
}

function hasNpmTestScript(workspaceRoot: string): boolean {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(workspaceRoot, 'package.json'), 'utf8'));
    return typeof pkg?.scripts?.test === 'string';
  } catch {
    return false;
  }
}

export interface RunChecksOptions {
  /** The same door as the agents' commands: checks run in the sandbox too. */
  runner: CommandRunner;
  timeoutMs: number;
  maxOutputChars: number;
  signal?: AbortSignal;
}

export async function runChecks(checks: CheckCommand[], opts: RunChecksOptions): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const check of checks) {
    const run = await opts.runner.run({ origin: { agentId: `check:${check.name}` }, command: check.command, timeoutMs: opts.timeoutMs, maxOutputChars: opts.maxOutputChars, signal: opts.signal });
    const report = parseTestOutput(run.output);
    const passed = run.exitCode === 0 && !run.timedOut;
    results.push({
      name: check.name,
      command: check.command,
      exitCode: run.exitCode,
      passed,
      durationMs: run.durationMs,
      cpuMs: run.resources?.cpuMs,
      peakRssBytes: run.resources?.peakRssBytes,
      failures: report.failures,
      output: run.output,
      report,
      signature: passed ? '' : `${check.name}:${failureSignature(report, run.exitCode, run.output)}`,
      timedOut: run.timedOut,
    });
  }
  return results;
}

/**
 * The failure as the next attempt sees it: failing test names and messages first, then the
 * output's tail, within a fixed budget of characters.
 */
export function describeFailure(results: CheckResult[], budgetChars = 4000): string {
  const parts: string[] = [];
  for (const r of results.filter((x) => !x.passed)) {
    const why = r.timedOut ? 'timed out' : `exit code ${r.exitCode}`;
    parts.push(`Check "${r.name}" (\`${r.command}\`) failed: ${why}.`);
    for (const f of r.failures.slice(0, 10)) {
      const where = f.file ? ` (${f.file}${f.line ? `:${f.line}` : ''})` : '';
      parts.push(`- ${f.name}${where}: ${f.message.split('\n').slice(0, 4).join(' / ')}`);
    }
    if (r.failures.length > 10) parts.push(`- … and ${r.failures.length - 10} more failing`);
  }
  const head = parts.join('\n');
  const remaining = budgetChars - head.length;
  const firstFailed = results.find((x) => !x.passed);
  if (firstFailed && remaining > 200) {
    const tail = firstFailed.output.slice(-Math.min(remaining - 60, 2500));
    return `${head}\n\nEnd of the output of \`${firstFailed.command}\`:\n${tail}`;
  }
  return head.slice(0, budgetChars);
}
