import fs from 'node:fs';
import path from 'node:path';
import { loadSpec, parseSpec, type Spec } from '../spec';
import { sha256 } from '../state/blobs';
import type { BuildState } from '../state/buildState';
import type { BuildRecord } from '../state/workspaceState';
import { resolveChecks } from '../validation/checks';
import { freezeJudge } from '../validation/judgeState';
import { approveTestChanges } from '../loop/testChanges';
import type { MuneroConfig } from './config';

/** The spec as the build started from it, kept in the build's folder. */
export const SPEC_COPY = 'spec.md';

/** What a build fixes when it starts: a copy of its spec, and the judge (checks, their configuration, the tests). */
export function fixAtStart(record: BuildRecord, spec: Spec, config: MuneroConfig, workspaceRoot: string): void {
  fs.writeFileSync(path.join(record.dir, SPEC_COPY), spec.text);
  freezeJudgeOf(record, spec, config, workspaceRoot);
}

/**
 * The spec a resumed build goes on with: its copy, whatever happened to the file since. An edit
 * is pointed out, not used: it needs a new build. Builds from before copies were kept read the file.
 */
export async function specForResume(record: BuildRecord, workspaceRoot: string): Promise<{ spec: Spec; warning?: string }> {
  const state = record.state;
  const copy = path.join(record.dir, SPEC_COPY);
  const current = readIfExists(state.specPath);
  const edited = current !== undefined && sha256(current) !== state.specSha256;
  if (!fs.existsSync(copy)) {
    const spec = await loadSpec(state.specPath);
    const warning = edited
      ? `${state.specPath} changed since this build started, and this build kept no copy of it; it goes on with the requirements it started from. An edited spec needs a new build.`
      : undefined;
    return { spec, warning };
  }
  const spec = parseSpec(fs.readFileSync(copy, 'utf8'), state.specPath);
  const kept = path.relative(workspaceRoot, copy);
  if (current === undefined) return { spec, warning: `${state.specPath} is gone; the build goes on with the spec as it started (its copy, ${kept}).` };
  if (edited) {
    return { spec, warning: `${state.specPath} changed since this build started; the build goes on with the spec as it was then (its copy, ${kept}). An edited spec needs a new build.` };
  }
  return { spec };
}

/**
 * The judge on a resume: a build from before judges were frozen has its frozen now (said in the
 * log); with `--allow-test-changes`, every open test-change flag is approved.
 */
export function judgeOnResume(record: BuildRecord, spec: Spec, config: MuneroConfig, workspaceRoot: string, allowTestChanges: boolean): string[] {
  const notes: string[] = [];
  if (!record.state.judge) {
    freezeJudgeOf(record, spec, config, workspaceRoot);
    notes.push('This build started before Munero froze the checks that judge a build; they are frozen now, at the resume, and tests changed before it are not known.');
  }
  if (allowTestChanges) {
    record.update((s) => {
      s.options.allowTestChanges = true;
    });
    const approved = approveTestChanges(record.state, workspaceRoot, 'all', 'allow-test-changes', (m: (s: BuildState) => void) => record.update(m));
    if (approved.length) notes.push(`Approved test changes (--allow-test-changes): ${approved.map((f) => `${f.file} (${f.change})`).join(', ')}`);
  }
  return notes;
}

function freezeJudgeOf(record: BuildRecord, spec: Spec, config: MuneroConfig, workspaceRoot: string): void {
  const checks = resolveChecks(workspaceRoot, { spec: spec.settings, config: config.commands ?? {} });
  const judge = freezeJudge(workspaceRoot, checks, record.blobs);
  record.update((s) => {
    s.judge = judge;
  });
}

function readIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
