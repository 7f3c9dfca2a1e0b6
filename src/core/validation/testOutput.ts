import { clipMessage, MAX_FAILURES, stripAnsi } from './runners/common';
import { parseEslint } from './runners/eslint';
import { parseJest } from './runners/jest';
import { parseMocha } from './runners/mocha';
import { parseNodeSpec } from './runners/nodeSpec';
import { parseTap } from './runners/tap';
import { parseTsc } from './runners/tsc';
import { parseVitest } from './runners/vitest';
import type { RunnerParser, TestReport } from './types';

export type { FailingTest, Runner, TestReport } from './types';
export { failureSignature } from './signature';

/**
 * Most specific first: vitest and jest share `FAIL` lines but differ in their summaries; test
 * runners come before tsc and eslint because a test run may print type errors it survived.
 */
const PARSERS: RunnerParser[] = [parseVitest, parseJest, parseMocha, parseNodeSpec, parseTap, parseTsc, parseEslint];

/** Recognises the runner from its output alone and lists what failed. */
export function parseTestOutput(output: string): TestReport {
  const text = stripAnsi(output).replace(/\r\n?/g, '\n');
  const lines = text.split('\n');
  for (const parse of PARSERS) {
    const report = parse(lines, text);
    if (report) return finish(report);
  }
  return { runner: 'unknown', failures: [] };
}

function finish(report: TestReport): TestReport {
  const failures = report.failures.slice(0, MAX_FAILURES).map((f) => ({ ...f, message: clipMessage(f.message) || 'failed' }));
  const out: TestReport = { runner: report.runner, failures };
  if (report.passed !== undefined) out.passed = report.passed;
  if (report.failed !== undefined) out.failed = report.failed;
  return out;
}
