import fs from 'node:fs';
import path from 'node:path';
import type { ImportGraph } from './importGraph';
import { MODULE_FILE } from './importGraph';
import { namesRequirement } from './passingTests';
import { MAX_TEST_FILE_BYTES } from './testFiles';

/** Configuration a runner, bundler or compiler reads: a change to it can change what any test does. */
const CONFIG_FILE = /(?:^|\/)(?:[\w.-]*\.config\.[cm]?[jt]s|\.mocharc[\w.]*|\.babelrc[\w.]*|babel\.config\.[\w]+|setupTests\.[cm]?[jt]s)$/;

export interface AffectedInput {
  workspaceRoot: string;
  graph: ImportGraph;
  /** Workspace-relative files the tasks changed. */
  changed: string[];
  /** Requirement ids the tasks serve. */
  requirements: string[];
  /** The workspace's test files now (workspace-relative). */
  testFiles: string[];
}

export type Selection =
  | { kind: 'affected'; tests: string[]; why: Record<string, string> }
  | { kind: 'full'; reason: string };

/**
 * The test files a change can affect: test files it wrote or changed, tests that name its
 * requirements, and tests that import a changed file, directly or through other files. The
 * whole suite instead when that cannot be said safely: a changed file the import graph does not
 * follow (data, configuration), a deleted file, or no test selected at all.
 */
export function selectAffectedTests(input: AffectedInput): Selection {
  for (const file of input.changed) {
    if (CONFIG_FILE.test(file)) return { kind: 'full', reason: `${file} is configuration, which can change what every test does` };
    if (!MODULE_FILE.test(file)) return { kind: 'full', reason: `${file} is not a JS/TS module, so the import graph cannot say which tests read it` };
    if (!fs.existsSync(path.join(input.workspaceRoot, file))) return { kind: 'full', reason: `${file} was deleted, so the tests that imported it cannot be found by their imports` };
  }
  const changed = new Set(input.changed);
  const why: Record<string, string> = {};
  for (const test of input.testFiles) {
    if (changed.has(test)) {
      why[test] = 'changed by the task';
      continue;
    }
    const named = input.requirements.find((id) => namesRequirement(readSmall(input.workspaceRoot, test), id));
    if (named) {
      why[test] = `names ${named}`;
      continue;
    }
    const reach = input.graph.closureOf(test);
    const imported = input.changed.find((f) => reach.files.has(f));
    if (imported) why[test] = `imports ${imported}`;
    else if (reach.unknown) why[test] = `its imports cannot all be followed (${reach.unknown})`;
  }
  const tests = Object.keys(why).sort();
  if (!tests.length) return { kind: 'full', reason: `no test file is written by, names or imports what changed (${input.changed.join(', ') || 'nothing'})` };
  return { kind: 'affected', tests, why };
}

function readSmall(workspaceRoot: string, rel: string): string {
  try {
    const abs = path.join(workspaceRoot, rel);
    if (fs.statSync(abs).size > MAX_TEST_FILE_BYTES) return '';
    return fs.readFileSync(abs, 'utf8');
  } catch {
    return '';
  }
}
