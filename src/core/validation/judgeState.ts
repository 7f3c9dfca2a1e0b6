import fs from 'node:fs';
import path from 'node:path';
import type { FrozenCheck, JudgeState, TestFileRecord } from '../state/buildState';
import type { CheckCommand } from './checks';
import { freezeCheck } from './frozenJudge';
import { configKindsFor, diffConfig, fingerprintConfig } from './judgeConfig';
import { findTestFiles, MAX_TEST_FILE_BYTES } from './testFiles';
import { describeWeakening, measureTest } from './testIntegrity';

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
  kind: 'deleted' | 'weakened' | 'config';
  file: string;
  change: string;
  /** The recorded content it was compared with (absent for configuration). */
  beforeSha?: string;
}

/** Every way the tests and the judge's configuration are weaker now than recorded. */
export function findTestChanges(judge: JudgeState, workspaceRoot: string): TestChange[] {
  const changes: TestChange[] = [];
  for (const [rel, before] of Object.entries(judge.testFiles)) {
    const now = measureNow(workspaceRoot, rel);
    if (now === 'missing') {
      changes.push({ kind: 'deleted', file: rel, change: 'deleted', beforeSha: before.sha });
      continue;
    }
    const change = now && describeWeakening(before, now);
    if (change) changes.push({ kind: 'weakened', file: rel, change, beforeSha: before.sha });
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
  const now = measureNow(workspaceRoot, change.file);
  if (now === 'missing') delete judge.testFiles[change.file];
  else if (now) judge.testFiles[change.file] = now;
}

const measured = new Map<string, { mtimeMs: number; size: number; record: TestFileRecord }>();

/** A test file measured now ('missing' when gone; undefined when too large to judge); unchanged files are not read again. */
function measureNow(workspaceRoot: string, rel: string): TestFileRecord | 'missing' | undefined {
  const abs = path.join(workspaceRoot, rel);
  let info: fs.Stats;
  try {
    info = fs.lstatSync(abs);
  } catch {
    return 'missing';
  }
  if (!info.isFile()) return 'missing';
  const cached = measured.get(abs);
  if (cached && cached.mtimeMs === info.mtimeMs && cached.size === info.size) return cached.record;
  const data = readSmall(abs);
  if (!data) return undefined;
  const record = measureTest(rel, data);
  measured.set(abs, { mtimeMs: info.mtimeMs, size: info.size, record });
  return record;
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
