import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ScriptedServer } from '../../../src/scripted/server';
import { cli, privateCli, runCli } from '../engine/cliRun';
import { addAttempt, ADD_SPEC, makeWorkspace, planTurn, repoRoot, serve } from '../engine/helpers';

/** `munero ARGS` as shipped; with MUNERO_FULL_CLI set the entry skips the quick status bundle. */
function munero(args: string[], options: { full?: boolean; cwd?: string } = {}) {
  const run = spawnSync(process.execPath, [cli, ...args], { cwd: options.cwd, encoding: 'utf8', env: { ...process.env, MUNERO_FULL_CLI: options.full ? '1' : '' }, timeout: 60_000 });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

describe('munero status from the small bundle (dist/cli-status.js)', function () {
  this.timeout(120_000);
  let server: ScriptedServer;
  let dir: string;
  before(async () => {
    const bundle = spawnSync(process.execPath, ['esbuild.js'], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(bundle.status, 0, bundle.stderr);
    server = await serve([planTurn(), ...addAttempt()]);
    dir = makeWorkspace({ 'SPEC.md': ADD_SPEC });
    const build = await runCli(['build', 'SPEC.md', '--workspace', dir], { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: server.url });
    assert.equal(build.code, 0, build.out + build.err);
  });
  after(() => server?.close());

  it('prints what the full CLI prints, for --workspace DIR, --workspace=DIR and the current folder', () => {
    const full = munero(['status', '--workspace', dir], { full: true });
    assert.equal(full.code, 0, full.err);
    assert.match(full.out, /^Build b-.*: verified/);
    for (const [args, cwd] of [[['status', '--workspace', dir]], [['status', `--workspace=${dir}`]], [['status'], dir]] as [string[], string?][]) {
      const quick = munero(args, { cwd });
      assert.deepEqual(quick, full, `munero ${args.join(' ')}`);
    }
  });

  it('does not load the full CLI for it', () => {
    const alone = privateCli(fs.mkdtempSync(path.join(os.tmpdir(), 'munero-quick-')));
    fs.rmSync(path.join(path.dirname(alone), 'cli-main.js'));
    const run = spawnSync(process.execPath, [alone, 'status', '--workspace', dir], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, munero(['status', '--workspace', dir]).out);
  });

  it('leaves every other form to the full CLI, so its messages stay the only ones', () => {
    for (const args of [['status', '--json', '--workspace', dir], ['status', 'extra'], ['status', '--workspace', '/does/not/exist'], ['status', '--force']]) {
      assert.deepEqual(munero(args), munero(args, { full: true }), `munero ${args.join(' ')}`);
    }
  });

  it('names damaged state it cannot repair as the full CLI does (exit 2), though reading it moved the file aside', () => {
    const files = { '.munero/current.json': '{"buildId":"b1"}', '.munero/builds/b1/build.json': '{"id": "b1", "status": ' };
    const [quick, full] = [{}, { full: true }].map((options) => {
      const workspace = makeWorkspace(files);
      const run = munero(['status', '--workspace', workspace], options);
      return { ...run, err: run.err.split(workspace).join('W').replace(/corrupt-[\dT:.Z-]+/g, 'corrupt-TIME') };
    });
    assert.equal(quick.code, 2, quick.err);
    assert.match(quick.err, /^munero status: W\/\.munero\/builds\/b1\/build\.json was corrupted/);
    assert.deepEqual(quick, full);
  });

  it('repairs a damaged build.json as the full CLI does and says so once, on stderr', () => {
    const copy = fs.mkdtempSync(`${dir}-damaged-`);
    fs.cpSync(dir, copy, { recursive: true });
    const current = JSON.parse(fs.readFileSync(path.join(copy, '.munero', 'current.json'), 'utf8')) as { buildId: string };
    const file = path.join(copy, '.munero', 'builds', current.buildId, 'build.json');
    fs.writeFileSync(file, '{"id": ');
    const first = munero(['status', '--workspace', copy]);
    assert.equal(first.code, 0, first.err);
    assert.match(first.err, new RegExp(`munero status: note: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} was corrupted .*rebuilt from`));
    assert.match(first.out, /Rebuilt at .* from the task state of checkpoint/);
    const again = munero(['status', '--workspace', copy]);
    assert.equal(again.err, '', 'said once: the file is repaired now');
    assert.equal(again.out, first.out);
  });
});
