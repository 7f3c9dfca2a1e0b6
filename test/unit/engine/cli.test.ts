import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { ScriptedServer } from '../../../src/scripted/server';
import { cli, runCli as runAsync } from './cliRun';
import { addAttempt, ADD_SPEC, makeWorkspace, managerFor, planTurn, readEvents, repoRoot, serve, tool } from './helpers';

function munero(args: string[], env: Record<string, string | undefined> = {}) {
  const run = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, ANTHROPIC_API_KEY: undefined, ...env }, timeout: 60_000 });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

describe('the munero command', function () {
  this.timeout(90_000);
  before(() => {
    const build = spawnSync(process.execPath, ['esbuild.js'], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(build.status, 0, build.stderr);
  });

  it('prints help for every command and exits 2 on usage errors', () => {
    assert.equal(munero(['--help']).code, 0);
    for (const command of ['build', 'resume', 'status', 'rollback', 'history']) {
      const help = munero([command, '--help']);
      assert.equal(help.code, 0);
      assert.match(help.out, new RegExp(`Usage: munero ${command}`));
      assert.match(help.out, /--workspace DIR/);
    }
    const bad = munero(['build', 'SPEC.md', '--max-iterations', 'lots']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--max-iterations must be a positive whole number, got "lots"/);
    assert.equal(munero(['frobnicate']).code, 2);
  });

  it('names a missing spec and a missing API key with exit code 2', () => {
    const workspace = makeWorkspace({ 'SPEC.md': ADD_SPEC });
    const missing = munero(['build', 'NOPE.md', '--workspace', workspace], { ANTHROPIC_API_KEY: 'k' });
    assert.equal(missing.code, 2);
    assert.match(missing.err, /NOPE\.md/);
    const noKey = munero(['build', 'SPEC.md', '--workspace', workspace]);
    assert.equal(noKey.code, 2);
    assert.match(noKey.err, /ANTHROPIC_API_KEY/);
    assert.equal(fs.existsSync(path.join(workspace, '.munero', 'lock')), false);
  });

  it('reports a corrupted state file, keeps it aside and exits 2', () => {
    const workspace = makeWorkspace({ '.munero/current.json': '{"buildId":"b1"}', '.munero/builds/b1/build.json': '{"id": "b1", "status": ' });
    const status = munero(['status', '--workspace', workspace]);
    assert.equal(status.code, 2);
    assert.match(status.err, /corrupted/);
    const kept = fs.readdirSync(path.join(workspace, '.munero', 'builds', 'b1')).find((f) => f.startsWith('build.json.corrupt-'));
    assert.ok(kept, 'the broken file was kept aside');
  });

  describe('against the scripted server', () => {
    let server: ScriptedServer;
    afterEach(() => server?.close());

    it('--json prints one event per line and exits 0 when verified; status and history read the result', async () => {
      server = await serve([planTurn(), ...addAttempt()]);
      const workspace = makeWorkspace({ 'SPEC.md': ADD_SPEC });
      const env = { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: server.url };
      const run = await runAsync(['build', 'SPEC.md', '--workspace', workspace, '--json'], env);
      assert.equal(run.code, 0, run.err);
      const events = run.out.trim().split('\n').map((l) => JSON.parse(l));
      assert.equal(events[0].type, 'build.started');
      assert.equal(events.at(-1).type, 'build.finished');
      assert.equal(events.at(-1).outcome, 'verified');
      const status = JSON.parse(munero(['status', '--workspace', workspace, '--json']).out);
      assert.equal(status.status, 'verified');
      assert.match(munero(['history', '--workspace', workspace]).out, /verified/);
      const plain = munero(['status', '--workspace', workspace]).out;
      assert.match(plain, /R1 verified/);
    });

    it('resumes after kill -9 in the middle of a task without losing or repeating a change', async () => {
      server = await serve([
        planTurn(),
        { agent: 'coder', task: 'T1', content: [tool('write_file', { path: 'notes.txt', content: 'first\n' }), tool('run_command', { command: 'sleep 2' })] },
        ...addAttempt(),
      ]);
      const workspace = makeWorkspace({ 'SPEC.md': ADD_SPEC });
      // Allowing a command is the user's decision, so it lives in the user's config, not the workspace's.
      const userConfig = path.join(workspace, '..', `${path.basename(workspace)}-user.json`);
      fs.writeFileSync(userConfig, JSON.stringify({ commands: { allow: ['sleep 2'] } }));
      const env = { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: server.url, MUNERO_USER_CONFIG: userConfig };
      const child = spawn(process.execPath, [cli, 'build', 'SPEC.md', '--workspace', workspace], { env: { ...process.env, ...env }, stdio: 'ignore' });
      await waitFor(() => safeEvents(workspace).some((e) => e.type === 'tool.called' && e.tool === 'run_command'), 20_000);
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));

      const status = munero(['status', '--workspace', workspace]);
      assert.match(status.out, /interrupted \(run `munero resume`\)/);
      const { manager } = managerFor(workspace, server);
      const result = await manager.resume();
      assert.equal(result.outcome, 'verified', result.reason);
      const changes = fs
        .readFileSync(path.join(workspace, '.munero', 'builds', result.buildId, 'changes.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      const applied = changes.filter((c) => c.status === 'applied').map((c) => c.path).sort();
      assert.deepEqual(applied, ['add.js', 'add.test.js', 'notes.txt']);
      assert.equal(fs.readFileSync(path.join(workspace, 'notes.txt'), 'utf8'), 'first\n');
      assert.deepEqual(server.rejected(), []);
      assert.deepEqual(server.remainingTurns(), []);
    });

    it('Ctrl-C pauses the build with exit code 130, and resume finishes it', async () => {
      server = await serve([{ ...planTurn(), latency_ms: 1500 }, ...addAttempt()]);
      const workspace = makeWorkspace({ 'SPEC.md': ADD_SPEC });
      const env = { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: server.url };
      const child = spawn(process.execPath, [cli, 'build', 'SPEC.md', '--workspace', workspace], { env: { ...process.env, ...env } });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      await waitFor(() => safeEvents(workspace).some((e) => e.type === 'agent.state' && e.step === 'thinking'), 20_000);
      child.kill('SIGINT');
      const code = await new Promise((r) => child.once('exit', r));
      assert.equal(code, 130, out);
      assert.match(out, /Resumable: run `munero resume`/);
      assert.equal(JSON.parse(munero(['status', '--workspace', workspace, '--json']).out).status, 'paused');
      const resumed = await runAsync(['resume', '--workspace', workspace], env);
      assert.equal(resumed.code, 0, resumed.out + resumed.err);
      assert.match(resumed.out, /Build b-\S+: verified/);
    });

    it('rollback restores a modified file byte for byte', async () => {
      const original = Buffer.from('exports.add = null; // original\r\n\u00e9\n');
      server = await serve([planTurn(), ...addAttempt()]);
      const workspace = makeWorkspace({ 'SPEC.md': ADD_SPEC });
      fs.writeFileSync(path.join(workspace, 'add.js'), original);
      const env = { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: server.url };
      assert.equal((await runAsync(['build', 'SPEC.md', '--workspace', workspace], env)).code, 0);
      assert.notDeepEqual(fs.readFileSync(path.join(workspace, 'add.js')), original);
      const rolled = munero(['rollback', '--workspace', workspace]);
      assert.equal(rolled.code, 0, rolled.err);
      assert.deepEqual(fs.readFileSync(path.join(workspace, 'add.js')), original);
      assert.equal(fs.existsSync(path.join(workspace, 'add.test.js')), false);
      const unknown = munero(['rollback', 'iter-9', '--workspace', workspace]);
      assert.equal(unknown.code, 2);
      assert.match(unknown.err, /no checkpoint "iter-9"/);
    });
  });
});

function safeEvents(workspace: string) {
  try {
    return readEvents(workspace);
  } catch {
    return [];
  }
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
