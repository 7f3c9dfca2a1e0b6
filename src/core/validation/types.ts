export interface FailingTest {
  name: string;
  message: string;
  file?: string;
  line?: number;
  column?: number;
}

export type Runner = 'tap' | 'node-test' | 'mocha' | 'jest' | 'vitest' | 'tsc' | 'eslint' | 'unknown';

export interface TestReport {
  runner: Runner;
  passed?: number;
  failed?: number;
  failures: FailingTest[];
}

/** A parser for one runner: returns undefined when the output is not that runner's. */
export type RunnerParser = (lines: string[], text: string) => TestReport | undefined;
