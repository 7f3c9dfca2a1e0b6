import type { BuildState, JudgeState, TestChangeFlag } from '../state/buildState';
import { findTestChanges, rebaseline, type TestChange } from '../validation/judgeState';
import type { RunContext } from './context';

/**
 * Compares the tests and the judge's configuration with what they were at the start, before a
 * check run: a new change is flagged (with the task that made it) on the bus and in the state;
 * a change undone since clears its flag. With `--allow-test-changes` a flag is approved at once.
 */
export function inspectTestChanges(ctx: RunContext, scope: string): void {
  const judge = ctx.record.state.judge;
  if (!judge) return;
  const changes = findTestChanges(judge, ctx.workspaceRoot);
  const raised: TestChangeFlag[] = [];
  ctx.record.update((s) => {
    const j = s.judge!;
    for (const flag of open(j)) {
      if (!changes.some((c) => c.file === flag.file)) flag.restored = true;
    }
    for (const change of changes) {
      const flag = open(j).find((f) => f.file === change.file);
      if (flag?.change === change.change) continue;
      if (flag) {
        flag.change = change.change;
        flag.kind = change.kind;
        raised.push(flag);
        continue;
      }
      const fresh = newFlag(ctx, j, change, scope);
      j.flags.push(fresh);
      raised.push(fresh);
    }
  });
  for (const flag of raised) {
    ctx.bus.emit({ type: 'test.flagged', flagId: flag.id, kind: flag.kind, file: flag.file, change: flag.change, taskId: flag.taskId });
  }
  if (ctx.record.state.options.allowTestChanges && raised.length) {
    approveTestChanges(ctx.record.state, ctx.workspaceRoot, raised.map((f) => f.id), 'allow-test-changes', (m) => ctx.record.update(m));
    for (const flag of raised) ctx.bus.emit({ type: 'test.approved', flagId: flag.id, file: flag.file, by: 'allow-test-changes' });
  }
}

/** Flags that still hold: neither approved nor undone. */
export function openFlags(state: BuildState): TestChangeFlag[] {
  return state.judge ? open(state.judge) : [];
}

/**
 * Approves flags (all open ones when `ids` is 'all'): each file as it is now becomes the one the
 * build is judged against, so a further weakening is flagged anew. Returns the flags approved.
 */
export function approveTestChanges(
  state: BuildState,
  workspaceRoot: string,
  ids: string[] | 'all',
  by: 'user' | 'allow-test-changes',
  update: (mutate: (s: BuildState) => void) => void,
): TestChangeFlag[] {
  const chosen = openFlags(state).filter((f) => ids === 'all' || ids.includes(f.id));
  if (!chosen.length) return [];
  const at = new Date().toISOString();
  update((s) => {
    for (const flag of open(s.judge!).filter((f) => chosen.some((c) => c.id === f.id))) {
      flag.approved = { by, at };
      rebaseline(s.judge!, workspaceRoot, flag);
    }
  });
  return chosen;
}

/**
 * Requirements an open flag holds back, with the reason each stays unverified. A flag covers the
 * requirements its file mentions by id and those whose verdict names the file; when neither is
 * known (a configuration change, a test that names nothing), every requirement.
 */
export function heldRequirements(state: BuildState, namedFiles: (requirementId: string) => string[]): Map<string, string> {
  const held = new Map<string, string>();
  for (const flag of openFlags(state)) {
    const named = state.requirements.filter((r) => namedFiles(r.id).includes(flag.file)).map((r) => r.id);
    const covered = new Set([...flag.requirements, ...named]);
    const ids = covered.size ? [...covered] : state.requirements.map((r) => r.id);
    for (const id of ids) if (!held.has(id)) held.set(id, describeFlag(flag));
  }
  return held;
}

/** What changed, for people: "test a.test.js was weakened (.skip added by T1)", "test a.test.js was changed (content changed by T1)". */
export function describeChange(flag: TestChangeFlag): string {
  const what = flag.kind === 'config' ? `the judge's configuration ${flag.file} was changed (${flag.change}` : `test ${flag.file} was ${flag.kind === 'changed' ? 'changed' : 'weakened'} (${flag.change}`;
  return `${what}${flag.taskId ? ` by ${flag.taskId}` : ''})`;
}

export function describeFlag(flag: TestChangeFlag): string {
  return `${describeChange(flag)}; approve with --allow-test-changes`;
}

function open(judge: JudgeState): TestChangeFlag[] {
  return judge.flags.filter((f) => !f.approved && !f.restored);
}

function newFlag(ctx: RunContext, judge: JudgeState, change: TestChange, scope: string): TestChangeFlag {
  return {
    id: `F${judge.flags.length + 1}`,
    kind: change.kind,
    file: change.file,
    change: change.change,
    taskId: taskThatChanged(ctx, change.file, scope),
    requirements: change.beforeSha ? mentionedRequirements(ctx, change.beforeSha) : [],
    beforeBlob: change.beforeSha,
    at: new Date().toISOString(),
  };
}

/** The task whose change last touched the file; else the one task the check run was for. */
function taskThatChanged(ctx: RunContext, file: string, scope: string): string | undefined {
  const touched = ctx.changes.all().filter((c) => c.path === file && c.taskId);
  if (touched.length) return touched.sort((a, b) => a.at.localeCompare(b.at)).at(-1)!.taskId;
  const tasks = [...scope.matchAll(/\btask (\S+?)(?:,|$)/g)].map((m) => m[1]);
  return tasks.length === 1 ? tasks[0] : undefined;
}

function mentionedRequirements(ctx: RunContext, blob: string): string[] {
  let text: string;
  try {
    text = ctx.record.blobs.get(blob).toString('utf8');
  } catch {
    return [];
  }
  return ctx.record.state.requirements.map((r) => r.id).filter((id) => new RegExp(`\\b${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(text));
}
