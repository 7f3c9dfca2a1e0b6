import fs from 'node:fs';
import path from 'node:path';
import type { FrozenCheck, JudgeState, TestChangeFlag, TestFileRecord } from '../state/buildState';
import type { CheckCommand } from './checks';
import { freezeCheck } from './frozenJudge';
import { configKindsFor, diffConfig, fingerprintConfig } from './judgeConfig';
import { findTestFiles, MAX_TEST_FILE_BYTES } from './testFiles';
import { measureTest } from './testIntegrity';
import { baselineOf, compareTestFile, measureTestFile } from './testMeasure';

/** Somewhere to keep the test files' contents as they were, for diffs later. */
export interface ContentStore {
  put(data: Buffer): string;
}

/**
 * The judge of a build, fixed at its start: the checks as they run now, the fingerprints of
 * their configuration, and every test file with what it tests.
 */
export function freezeJudge(workspaceRoot: string, resolved: CheckCommand[], store: ContentStore): JudgeState {
  const checks = resolved.map((c) => freezeCheck(workspaceRoot, c));
  const configKinds = configKindsFor(checks);
  const { files, capped } = findTestFiles(workspaceRoot);
  const testFiles: Record<string, TestFileRecord> = {};
  for (const rel of files) {
    const data = readSmall(path.join(workspaceRoot, rel));
    if (!data) continue;
    store.put(data);
    testFiles[rel] = measureTest(rel, data);
  }
  return {
    frozenAt: new Date().toISOString(),
    checks,
    testPending: !checks.some((c) => c.name === 'test') || undefined,
    config: fingerprintConfig(workspaceRoot, checks, configKinds),
    configKinds,
    testFiles,
    testFilesCapped: capped || undefined,
    flags: [],
  };
}

/**
 * Freezes what was not known at the start (no test command, or a script package.json did not
 * have yet) once the current checks show it. Returns the checks frozen now.
 */
export function freezePending(judge: JudgeState, workspaceRoot: string, current: CheckCommand[], scope: string): FrozenCheck[] {
  const frozenNow: FrozenCheck[] = [];
  const at = new Date().toISOString();
  for (const live of current) {
    const index = judge.checks.findIndex((c) => c.name === live.name);
    const known = judge.checks[index];
    if (known && !known.pending) continue;
    if (!known && !(live.name === 'test' && judge.testPending)) continue;
    const frozen = freezeCheck(workspaceRoot, known ? { ...live, command: known.command, source: known.source } : live);
    if (frozen.pending) continue;
    frozen.frozenLater = { scope, at };
    if (known) judge.checks[index] = frozen;
    else judge.checks.push(frozen);
    if (frozen.name === 'test') judge.testPending = undefined;
    frozenNow.push(frozen);
  }
  if (frozenNow.length) {
    judge.configKinds = configKindsFor(judge.checks);
    // What the new checks depend on is fingerprinted now; what was fingerprinted before stays as it was.
    judge.config = { ...fingerprintConfig(workspaceRoot, judge.checks, judge.configKinds), ...judge.config };
  }
  return frozenNow;
}

export interface TestChange {
  kind: TestChangeFlag['kind'];
  file: string;
  change: string;
  /** The recorded content it was compared with (absent for configuration). */
  beforeSha?: string;
}

/** Every change to the tests that existed at the start and to the judge's configuration since recorded. */
export function findTestChanges(judge: JudgeState, workspaceRoot: string): TestChange[] {
  const changes: TestChange[] = [];
  for (const [rel, before] of Object.entries(judge.testFiles)) {
    const found = compareTestFile(before, measureTestFile(path.join(workspaceRoot, rel), rel));
    if (found) changes.push({ ...found, file: rel, beforeSha: before.sha });
  }
  for (const c of diffConfig(judge.config, fingerprintConfig(workspaceRoot, judge.checks, judge.configKinds))) changes.push({ kind: 'config', ...c });
  return changes;
}

/** Takes the file (or configuration) as it is now for the one the build is judged against: the user approved it. */
export function rebaseline(judge: JudgeState, workspaceRoot: string, change: { kind: TestChange['kind']; file: string }): void {
  if (change.kind === 'config') {
    const now = fingerprintConfig(workspaceRoot, judge.checks, judge.configKinds);
    if (now[change.file] === undefined) delete judge.config[change.file];
    else judge.config[change.file] = now[change.file];
    return;
  }
  const now = baselineOf(measureTestFile(path.join(workspaceRoot, change.file), change.file));
  if (now) judge.testFiles[change.file] = now;
  else delete judge.testFiles[change.file];
}

function readSmall(abs: string): Buffer | undefined {
  try {
    const info = fs.lstatSync(abs);
    if (!info.isFile() || info.size > MAX_TEST_FILE_BYTES) return undefined;
    return fs.readFileSync(abs);
  } catch {
    return undefined;
  }
}
