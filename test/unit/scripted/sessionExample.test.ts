import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadScript } from '../../../src/scripted/loadScript';
import { startScriptedServer, type ScriptedServer } from '../../../src/scripted/server';
import { runCli } from '../engine/cliRun';
import { repoRoot } from '../engine/helpers';

const example = path.join(repoRoot, 'examples', 'greeter-session');
const guide = path.join(repoRoot, 'docs', 'scripted-sessions.md');

describe('docs/scripted-sessions.md, its worked example', function () {
  this.timeout(120_000);
  let server: ScriptedServer | undefined;
  afterEach(() => server?.close());

  it('shows the example files as they are', () => {
    const text = fs.readFileSync(guide, 'utf8');
    assert.ok(text.includes(fs.readFileSync(path.join(example, 'SPEC.md'), 'utf8')), 'the spec shown is examples/greeter-session/SPEC.md');
    assert.ok(text.includes(fs.readFileSync(path.join(example, 'session.json'), 'utf8')), 'the session shown is examples/greeter-session/session.json');
  });

  it('builds the spec to verified through the real CLI, with requests in the documented order', async () => {
    const bundle = spawnSync(process.execPath, ['esbuild.js'], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(bundle.status, 0, bundle.stderr);
    server = await startScriptedServer({ script: loadScript(path.join(example, 'session.json')) });
    // As a user would run it: the spec alone, no .munero/config.json (the engine tests' workspaces turn reflection off).
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'munero-greeter-'));
    fs.copyFileSync(path.join(example, 'SPEC.md'), path.join(workspace, 'SPEC.md'));

    const build = await runCli(['build', 'SPEC.md', '--workspace', workspace], { ANTHROPIC_API_KEY: 'test', ANTHROPIC_BASE_URL: server.url });
    assert.equal(build.code, 0, build.out + build.err);
    assert.match(build.out, /✓ R1 .* verified by node --test \(R1: greets by name\)/);
    assert.match(build.out, /6 model requests/, build.out);

    const order = server.log.map((r) => `${r.agent}${r.task ? ` ${r.task}` : ''}`);
    assert.deepEqual(order, ['planner', 'coder T1', 'coder T1', 'reflector T1', 'coder T1', 'coder T1'], 'plan; attempt 1 ending in task_complete; reflection after the failure; attempt 2');
    assert.deepEqual(server.rejected(), []);
    assert.deepEqual(server.remainingTurns(), []);
    assert.equal(fs.readFileSync(path.join(workspace, 'greet.js'), 'utf8'), 'exports.greet = (name) => `Hello, ${name}!`;\n');
  });
});
