import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BuildInputError, BuildManager } from '../../../src/core';
import { readJsonLines } from '../../../src/core/state/jsonLines';
import { startScriptedServer, type ScriptedServer } from '../../../src/scripted/server';
import type { ScriptTurn } from '../../../src/scripted/scriptTypes';
import { briefOf, requestsOf } from './brainHelpers';
import { privateCli } from './cliRun';
import { repoRoot } from './helpers';
import { appliedChanges, buildFolder, campaignTurns, campaignWorkspace, LESSON, turnsLeft, workspaceFiles } from './killCampaignScript';

/**
 * Kill at every step (issue 11). The real `munero` command builds a two-task spec against the
 * scripted API (a task fails, is reflected on, retried with the lesson; another fails, the plan is
 * revised) and is killed with SIGKILL at one step, then `munero resume` finishes it. Each run must
 * end with the files, verdicts and applied changes of the uninterrupted build, send no request the
 * API would reject, and leave `.munero/` readable by status, history, rollback and resume.
 *
 * Steps are the engine's kill points (src/core/state/killPoint.ts): after each line of a log,
 * each state document, each file written, while a command runs. MUNERO_KILL_CAMPAIGN picks how
 * many are tried: unset, one of each kind named below; `labels`, the first of every label;
 * `all`, every point of the build (`npm run test:faults`); or a comma-separated list of points
 * (`doc:build.json#12`) to look at one again.
 */
/** A private copy of the bundle: the campaign runs for minutes, and a rebuild of dist/ meanwhile must not change it. */
const bundle = fs.mkdtempSync(path.join(os.tmpdir(), 'munero-kill-dist-'));
const cli = path.join(bundle, 'cli.js');
const MODE = process.env.MUNERO_KILL_CAMPAIGN ?? 'sample';
const RUN_TIMEOUT_MS = 180_000;

interface Reference {
  trace: string[];
  files: Record<string, string>;
  verdicts: string;
  applied: string[];
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  timedOut: boolean;
}

describe('kill at every step', function () {
  this.timeout(MODE === 'sample' ? 240_000 : 4 * 3600_000);
  before(() => {
    const build = spawnSync(process.execPath, ['esbuild.js'], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(build.status, 0, build.stderr);
    privateCli(bundle);
  });
  after(() => fs.rmSync(bundle, { recursive: true, force: true }));

  it('resumes a build killed at each step to the same files, verdicts and changes', async () => {
    const reference = await uninterrupted();
    const points = killPoints(reference.trace);
    const problems: string[] = [];
    for (const [i, point] of points.entries()) {
      const found = await killAndResume(point, reference);
      problems.push(...found.map((p) => `${point}: ${p}`));
      if (MODE !== 'sample') console.log(`      ${i + 1}/${points.length} ${point}: ${found.length ? found.join('; ') : 'ok'}`);
    }
    const labels = new Set(points.map((p) => p.replace(/#\d+$/, ''))).size;
    console.log(`      kill campaign (${MODE}): ${points.length} kill points tried (${labels} kinds, of ${reference.trace.length} in the build)`);
    assert.equal(problems.length, 0, problems.join('\n'));
  });

  it('Ctrl-C while the reflector runs: resume reflects first, and the lesson reaches the next attempt', async () => {
    const turns = campaignTurns();
    // The reflector's answer is late, so the interrupt lands while its request is in flight.
    turns.find((t) => t.agent === 'reflector' && t.task === 'T1')!.latency_ms = 5_000;
    const server = await serveTurns(turns);
    const workspace = campaignWorkspace();
    try {
      const child = spawn(process.execPath, [cli, 'build', 'SPEC.md', '--workspace', workspace, '--parallel', '1'], { env: { ...process.env, ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: server.url }, stdio: 'ignore' });
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      await until(() => loggedEvents(workspace).some((e) => e.type === 'agent.state' && e.role === 'reflector' && e.step === 'thinking'), 60_000);
      child.kill('SIGINT');
      assert.equal(await exited, 130);
      assert.equal(statusOf(workspace), 'paused');
      assert.deepEqual(JSON.parse(fs.readFileSync(path.join(buildFolder(workspace), 'build.json'), 'utf8')).tasks.T1.reflections ?? [], []);

      const resumed = await munero(['resume', '--workspace', workspace], server);
      assert.equal(resumed.code, 0, resumed.out);
      assert.deepEqual(lessonProblems(workspace, [server]), []);
      const reference = await uninterrupted();
      assert.deepEqual(workspaceFiles(workspace), reference.files);
      assert.equal(verdictsOf(workspace), reference.verdicts);
      assert.deepEqual(server.rejected(), []);
      assert.deepEqual(server.remainingTurns(), []);
    } finally {
      await server.close();
    }
  });
});

let referenceRun: Promise<Reference> | undefined;

/** The uninterrupted build, made once for both tests. */
function uninterrupted(): Promise<Reference> {
  referenceRun ??= referenceBuild();
  return referenceRun;
}

/** The uninterrupted build, with every kill point it passes. */
async function referenceBuild(): Promise<Reference> {
  const workspace = campaignWorkspace();
  const traceFile = path.join(os.tmpdir(), `munero-kill-trace-${process.pid}.txt`);
  fs.rmSync(traceFile, { force: true });
  const server = await serveTurns(campaignTurns());
  try {
    const run = await munero(['build', 'SPEC.md', '--workspace', workspace, '--parallel', '1'], server, { MUNERO_TEST_KILL_TRACE: traceFile });
    assert.equal(run.code, 0, run.out);
    assert.deepEqual(server.rejected(), []);
    assert.deepEqual(server.remainingTurns(), []);
    const trace = fs.readFileSync(traceFile, 'utf8').split('\n').filter(Boolean);
    return { trace, files: workspaceFiles(workspace), verdicts: verdictsOf(workspace), applied: appliedChanges(workspace) };
  } finally {
    fs.rmSync(traceFile, { force: true });
    await server.close();
  }
}

/**
 * The points to try. The default names one of each kind of step the issue lists, found in the
 * reference trace, so a point the engine no longer reaches fails here instead of being skipped.
 */
function killPoints(trace: string[]): string[] {
  if (MODE === 'all') return trace;
  if (MODE === 'labels') return trace.filter((p) => p.endsWith('#1'));
  if (MODE !== 'sample') return MODE.split(',');
  const after = (anchor: string, label: string) => {
    const from = trace.indexOf(anchor);
    const hit = trace.slice(from + 1).find((p) => p.startsWith(`${label}#`));
    assert.ok(from >= 0 && hit, `the reference build reached no ${label} after ${anchor}`);
    return hit!;
  };
  const failureRecorded = trace[trace.indexOf('event:task.finished#1') - 1];
  assert.match(failureRecorded, /^doc:build\.json#/);
  const named = [
    'event:agent.text:coder#1', // mid model stream
    'change:accepted#1', // a tool's write accepted, the file not yet written
    'file:temp#1', // a file write cut short: the bytes in a temporary file, not yet renamed over the file
    'file:written#1', // the file written, the change not yet logged as applied
    after('event:validation.started#1', 'command:output'), // during a check run
    'event:tool.result:coder:read_file#1', // a task read a file another task wrote; its write comes next
    failureRecorded, // the state write recording a failed attempt
    'conversation:reflector:assistant#1', // the reflector answered, its reflection not yet recorded
    'event:reflection#1', // the reflection recorded
    'conversation:planner:assistant#2', // the revised plan answered, not yet stored
    'event:plan.revised#1', // the revised plan stored
    'doc:checkpoint:task#1', // a checkpoint written, the build's state not yet pointing at it
    'event:build.finished#1', // the end, before the history line
  ];
  for (const p of named) assert.ok(trace.includes(p), `the reference build never reached ${p}`);
  return named;
}

/** Kills the build at `point`, checks what a user would read, resumes, and compares. Returns what went wrong. */
async function killAndResume(point: string, reference: Reference): Promise<string[]> {
  const problems: string[] = [];
  const workspace = campaignWorkspace();
  const turns = campaignTurns();
  const killedServer = await serveTurns(turns);
  let resumedServer: ScriptedServer | undefined;
  try {
    const killed = await munero(['build', 'SPEC.md', '--workspace', workspace, '--parallel', '1'], killedServer, { MUNERO_TEST_KILL_AT: point });
    if (killed.timedOut) return [`the build did not end within ${RUN_TIMEOUT_MS} ms`];
    if (killed.signal !== 'SIGKILL') return [`the build was not killed there (exit ${killed.code}): ${killed.out.slice(-400)}`];
    problems.push(...rejectedBy(killedServer, 'before the kill'));
    if (!fs.existsSync(path.join(workspace, '.munero', 'current.json'))) {
      // Killed before the build existed: there is nothing to resume, and a new build starts clean.
      const nothing = await munero(['resume', '--workspace', workspace], killedServer);
      if (nothing.code !== 2 || !/no build to resume/.test(nothing.out)) problems.push(`resume of no build exited ${nothing.code}: ${nothing.out.slice(-400)}`);
      resumedServer = await serveTurns(turns);
      const again = await munero(['build', 'SPEC.md', '--workspace', workspace, '--parallel', '1'], resumedServer);
      if (again.code !== 0) problems.push(`the build started again exited ${again.code}: ${again.out.slice(-600)}`);
      return [...problems, ...compare(workspace, reference, [killedServer, resumedServer])];
    }
    problems.push(...readable(workspace, 'after the kill'));

    resumedServer = await serveTurns(turnsLeft(turns, workspace));
    const resumed = await munero(['resume', '--workspace', workspace], resumedServer);
    if (resumed.timedOut) problems.push(`the resume did not end within ${RUN_TIMEOUT_MS} ms`);
    const ended = statusOf(workspace);
    if (resumed.code !== 0 && !(resumed.code === 2 && /already ended \(verified\)/.test(resumed.out))) {
      problems.push(`resume exited ${resumed.code}: ${resumed.out.slice(-600)}`);
    }
    if (ended !== 'verified') problems.push(`the build ended ${ended}`);
    problems.push(...compare(workspace, reference, [killedServer, resumedServer]));
    return problems;
  } finally {
    if (problems.length) problems.push(`workspace kept: ${workspace}`);
    else fs.rmSync(workspace, { recursive: true, force: true });
    await killedServer.close();
    await resumedServer?.close();
  }
}

/** The finished build against the uninterrupted one, and what a user can still read and do with it. */
function compare(workspace: string, reference: Reference, [killedServer, resumedServer]: ScriptedServer[]): string[] {
  const problems = rejectedBy(resumedServer, 'after the resume');
  if (resumedServer.remainingTurns().length) problems.push(`${resumedServer.remainingTurns().length} scripted turns were never asked for`);
  if (JSON.stringify(workspaceFiles(workspace)) !== JSON.stringify(reference.files)) problems.push('the files differ from the uninterrupted build');
  if (verdictsOf(workspace) !== reference.verdicts) problems.push(`verdicts ${verdictsOf(workspace)}, uninterrupted ${reference.verdicts}`);
  const applied = appliedChanges(workspace);
  const twice = applied.filter((c, i) => applied.indexOf(c) !== i);
  if (twice.length) problems.push(`applied twice: ${twice.join(', ')}`);
  const lost = reference.applied.filter((c) => !applied.includes(c));
  if (lost.length) problems.push(`lost: ${lost.join(', ')}`);
  problems.push(...lessonProblems(workspace, [killedServer, resumedServer]));
  problems.push(...readable(workspace, 'after the resume'));
  problems.push(...historyProblems(workspace));
  problems.push(...rollbackProblems(workspace));
  return problems;
}

/** T1's reflection was made once and its lesson reached T1's next attempt. */
function lessonProblems(workspace: string, servers: ScriptedServer[]): string[] {
  const state = JSON.parse(fs.readFileSync(path.join(buildFolder(workspace), 'build.json'), 'utf8'));
  const reflections = state.tasks.T1?.reflections ?? [];
  const problems: string[] = [];
  if (reflections.length !== 1) problems.push(`T1 has ${reflections.length} reflections, not 1`);
  const briefs = servers.flatMap((s) => requestsOf(s, 'coder', 'T1')).filter((e) => (e.body as { messages: unknown[] }).messages.length === 1).map(briefOf);
  const retry = briefs.filter((b) => b.includes('An earlier attempt at this task did not pass'));
  if (retry.length === 0 || retry.some((b) => !b.includes(LESSON))) problems.push("the reflector's lesson did not reach T1's second attempt");
  return problems;
}

/** status, the event log, the timeline and a rollback preview all read the build. */
function readable(workspace: string, when: string): string[] {
  const manager = new BuildManager({ workspaceRoot: workspace });
  try {
    const state = manager.status();
    if (!state) return [`status found no build ${when}`];
    readJsonLines(path.join(buildFolder(workspace), 'events.jsonl'));
    manager.timeline();
    previewOrRefuse(manager);
    return [];
  } catch (err) {
    return [`.munero/ unreadable ${when}: ${(err as Error).stack}`];
  }
}

/** A rollback preview, or the clear refusal a build that changed no file yet gets. */
function previewOrRefuse(manager: BuildManager): void {
  try {
    manager.previewRestore('start');
  } catch (err) {
    if (!(err instanceof BuildInputError)) throw err;
  }
}

function historyProblems(workspace: string): string[] {
  const history = new BuildManager({ workspaceRoot: workspace }).history();
  const id = path.basename(buildFolder(workspace));
  const entries = history.filter((h) => h.buildId === id);
  return entries.length === 1 && entries[0].status === 'verified' ? [] : [`history holds ${entries.map((e) => e.status).join(', ') || 'nothing'} for the build`];
}

/** Rolling back to the start leaves only the spec, as before the build. */
function rollbackProblems(workspace: string): string[] {
  try {
    new BuildManager({ workspaceRoot: workspace }).rollback('start');
    const left = Object.keys(workspaceFiles(workspace));
    return left.join() === 'SPEC.md' ? [] : [`after rollback to start: ${left.join(', ')}`];
  } catch (err) {
    return [`rollback failed: ${(err as Error).message}`];
  }
}

function statusOf(workspace: string): string | undefined {
  return new BuildManager({ workspaceRoot: workspace }).status()?.status;
}

function verdictsOf(workspace: string): string {
  const state = new BuildManager({ workspaceRoot: workspace }).status();
  return (state?.requirements ?? []).map((r) => `${r.id}=${r.verdict}`).join(' ');
}

/** The build's event log as far as it is written (empty before it exists). */
function loggedEvents(workspace: string): Record<string, unknown>[] {
  try {
    return readJsonLines(path.join(buildFolder(workspace), 'events.jsonl'));
  } catch {
    return [];
  }
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not reached within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function rejectedBy(server: ScriptedServer, when: string): string[] {
  return server.rejected().map((e) => `rejected ${when}: ${e.agent}/${e.task}: ${e.errorMessage}`);
}

function serveTurns(turns: ScriptTurn[]): Promise<ScriptedServer> {
  return startScriptedServer({ script: { version: 1, turns } });
}

function munero(args: string[], server: ScriptedServer, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: server.url, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, RUN_TIMEOUT_MS);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, out, timedOut });
    });
  });
}
