import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BuildLockedError, BuildManager, type LockInfo, type MuneroEvent } from '../../../src/core';
import type { ScriptedServer } from '../../../src/scripted/server';
import type { ScriptTurn } from '../../../src/scripted/scriptTypes';
import { addAttempt, ADD_SPEC, BROKEN_ADD, makeWorkspace, planTurn, readEvents, repoRoot, serve } from './helpers';

const cli = path.join(repoRoot, 'dist', 'cli.js');

/** A build slow enough to be found running: every model turn arrives late. */
const slow = (turns: ScriptTurn[], ms = 700): ScriptTurn[] => turns.map((t) => ({ ...t, latency_ms: ms }));

interface Run {
  child: ChildProcess;
  done: Promise<{ code: number | null; out: string; err: string }>;
}

function munero(args: string[], env: Record<string, string>): Run {
  const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, ...env } });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const done = new Promise<{ code: number | null; out: string; err: string }>((resolve) => child.on('exit', (code) => resolve({ code, out, err })));
  return { child, done };
}

function eventsOf(workspace: string): MuneroEvent[] {
  try {
    return readEvents(workspace);
  } catch {
    return [];
  }
}

function lockOf(workspace: string): LockInfo | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(workspace, '.munero', 'lock'), 'utf8')) as LockInfo;
  } catch {
    return undefined;
  }
}

async function waitFor<T>(probe: () => T | undefined | false, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('a build watched from another process', function () {
  this.timeout(120_000);
  let server: ScriptedServer;
  let holder: Run | undefined;
  before(() => {
    const build = spawnSync(process.execPath, ['esbuild.js'], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(build.status, 0, build.stderr);
  });
  afterEach(async () => {
    if (holder && holder.child.exitCode === null) holder.child.kill('SIGKILL');
    await holder?.done;
    holder = undefined;
    await server?.close();
  });

  async function startCliBuild(turns: ScriptTurn[]) {
    server = await serve(turns);
    const workspace = makeWorkspace({ 'SPEC.md': ADD_SPEC });
    const env = { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: server.url };
    holder = munero(['build', 'SPEC.md', '--workspace', workspace], env);
    const pid = holder.child.pid;
    const ended = holder.done.then((r) => {
      throw new Error(`the build ended before it was seen running (exit ${r.code}): ${r.out}${r.err}`);
    });
    const lock = await Promise.race([waitFor(() => lockOf(workspace)?.pid === pid && lockOf(workspace)), ended]);
    ended.catch(() => undefined);
    return { workspace, env, lock };
  }

  it('a second BuildManager is refused with the holder named, then follows the CLI build to its end', async () => {
    const { workspace, lock } = await startCliBuild(slow([planTurn(), ...addAttempt()]));
    assert.equal(lock.program, 'the munero CLI');
    assert.equal(lock.specPath, 'SPEC.md');

    const manager = new BuildManager({ workspaceRoot: workspace, env: { apiKey: 'k', baseURL: server.url }, program: 'a test' });
    await assert.rejects(manager.start('SPEC.md'), (err: unknown) => {
      assert.ok(err instanceof BuildLockedError);
      assert.equal(err.holder.pid, holder!.child.pid);
      assert.match(err.message, new RegExp(`build b-\\S+ of SPEC\\.md by the munero CLI \\(pid ${holder!.child.pid} on ${os.hostname()}\\), since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC`));
      assert.match(err.message, /Watch it/);
      return true;
    });

    const relayed: MuneroEvent[] = [];
    manager.bus.events$.subscribe((e) => relayed.push(e));
    const end = await manager.watch();
    assert.equal(end.kind, 'finished');
    assert.equal(end.kind === 'finished' && end.outcome, 'verified');
    assert.equal((await holder!.done).code, 0);

    // What the watcher saw is the holder's log, event for event, from the start of its run.
    // (Its MCP servers' events are its own, so they are not relayed.)
    const logged = readEvents(workspace).filter((e) => e.type !== 'mcp.server');
    assert.deepEqual(relayed.map((e) => e.seq), logged.map((e) => e.seq));
    assert.deepEqual(relayed, logged);
    assert.equal(relayed[0].type, 'build.started');
    assert.equal(relayed.at(-1)!.type, 'build.finished');
    assert.ok(relayed.some((e) => e.type === 'task.finished' && e.status === 'done'));
    assert.equal(manager.status()?.status, 'verified', 'the state document the watcher reads is the finished build');
    assert.deepEqual(server.rejected(), []);
  });

  it('a watcher joining late still gets the run from its start, and one from a sequence number only what follows it', async () => {
    const { workspace } = await startCliBuild(slow([planTurn(), ...addAttempt()]));
    await waitFor(() => eventsOf(workspace).some((e) => e.type === 'plan.accepted'));
    const late = new BuildManager({ workspaceRoot: workspace });
    const fromSeq = new BuildManager({ workspaceRoot: workspace });
    const seen: MuneroEvent[] = [];
    const after: MuneroEvent[] = [];
    late.bus.events$.subscribe((e) => seen.push(e));
    fromSeq.bus.events$.subscribe((e) => after.push(e));
    const planSeq = readEvents(workspace).find((e) => e.type === 'plan.accepted')!.seq;
    const [a, b] = await Promise.all([late.watch(), fromSeq.watch({ fromSeq: planSeq })]);
    assert.equal(a.kind, 'finished');
    assert.equal(b.kind, 'finished');
    assert.equal(seen[0].type, 'build.started');
    assert.ok(seen.some((e) => e.type === 'plan.accepted'));
    assert.ok(after.length > 0 && after.every((e) => e.seq > planSeq), 'only events after the given one');
    assert.deepEqual(after, seen.filter((e) => e.seq > planSeq));
  });

  it('ends as "gone" when the holder is killed mid-build, and says so when nothing runs', async () => {
    const { workspace } = await startCliBuild(slow([planTurn(), ...addAttempt()], 1500));
    const manager = new BuildManager({ workspaceRoot: workspace });
    const relayed: MuneroEvent[] = [];
    manager.bus.events$.subscribe((e) => relayed.push(e));
    const watching = manager.watch();
    await waitFor(() => relayed.some((e) => e.type === 'agent.state' && e.step === 'thinking'));
    holder!.child.kill('SIGKILL');
    const end = await watching;
    assert.equal(end.kind, 'gone');
    assert.equal(end.kind === 'gone' && end.holder.pid, holder!.child.pid);
    assert.ok(!relayed.some((e) => e.type === 'build.finished'));
    assert.deepEqual(await manager.watch(), { kind: 'idle' }, 'a dead holder holds nothing');
  });

  it('munero build on a locked workspace names the holder; munero watch prints its progress and exits as it ended', async () => {
    const { workspace, env } = await startCliBuild(slow([planTurn(), ...addAttempt()]));
    const second = await munero(['build', 'SPEC.md', '--workspace', workspace], env).done;
    assert.equal(second.code, 2);
    assert.match(second.err, new RegExp(`already running in this workspace: build b-\\S+ of SPEC\\.md by the munero CLI \\(pid ${holder!.child.pid}`));
    assert.match(second.err, /Follow it from here with `munero watch`/);

    const status = spawnSync(process.execPath, [cli, 'status', '--workspace', workspace], { encoding: 'utf8', env: { ...process.env, ...env } });
    assert.match(status.stdout, /Running: build b-\S+ of SPEC\.md by the munero CLI .*Follow it with `munero watch`/);

    const watch = await munero(['watch', '--workspace', workspace], env).done;
    assert.equal(watch.code, 0, watch.err);
    assert.match(watch.out, /^Watching build b-\S+ of SPEC\.md by the munero CLI \(pid \d+/);
    assert.match(watch.out, /T1/);
    assert.match(watch.out, /Build b-\S+: verified/);
    assert.match(watch.out, /✓ R1/);
    assert.equal((await holder!.done).code, 0);

    const stray = await munero(['watch', 'SPEC.md', '--workspace', workspace], env).done;
    assert.equal(stray.code, 2);
    assert.match(stray.err, /watch takes no arguments, got "SPEC\.md"/);

    const afterwards = await munero(['watch', '--workspace', workspace], env).done;
    assert.equal(afterwards.code, 0);
    assert.match(afterwards.out, /No Munero build is running in .*The last one, b-\S+, ended verified/);
  });

  it('Ctrl-C stops munero watch (exit 130), not the build it watched', async () => {
    const { workspace, env } = await startCliBuild(slow([planTurn(), ...addAttempt()], 2500));
    const watch = munero(['watch', '--workspace', workspace], env);
    let out = '';
    watch.child.stdout!.on('data', (d) => (out += d));
    await waitFor(() => /Watching build/.test(out) && eventsOf(workspace).length > 0);
    watch.child.kill('SIGINT');
    const stopped = await watch.done;
    assert.equal(stopped.code, 130, stopped.err);
    assert.match(stopped.out, new RegExp(`Stopped watching; build b-\\S+ goes on \\(pid ${holder!.child.pid}\\)`));
    const build = await holder!.done;
    assert.equal(build.code, 0, `the watched build went on to the end: ${build.out}${build.err}`);
  });

  it('munero watch exits 1 when the watched build ends unmet, and --json prints its events', async () => {
    const broken = [...addAttempt('T1', BROKEN_ADD), ...addAttempt('T1', BROKEN_ADD), ...addAttempt('T1', BROKEN_ADD)];
    const { workspace, env } = await startCliBuild(slow([planTurn(), ...broken], 300));
    const watch = await munero(['watch', '--workspace', workspace, '--json'], env).done;
    const events = watch.out.trim().split('\n').map((l) => JSON.parse(l) as MuneroEvent);
    const end = events.at(-1)!;
    assert.equal(end.type === 'build.finished' && end.outcome, 'unmet', JSON.stringify(events.slice(-3)) + watch.err + (await holder!.done).err);
    assert.equal(watch.code, 1, watch.err);
    assert.equal((await holder!.done).code, 1);
  });
});
