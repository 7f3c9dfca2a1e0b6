import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { ScriptedServer } from '../../../src/scripted/server';
import { lastToolResults, requestsOf } from '../engine/brainHelpers';
import { runCli } from '../engine/cliRun';
import { planTurn, repoRoot, serve, tool } from '../engine/helpers';
import { ADD_TEST, BEFORE, HUNK1_ONLY, PROPOSED, read, reviewWorkspace } from './reviewHelpers';

/** Runs the bundled CLI with these lines on stdin (then stdin closes). */
const munero = (args: string[], stdin: string, env: Record<string, string>) => runCli(args, env, stdin);

function script() {
  return [
    planTurn(),
    { agent: 'coder', task: 'T1', content: [tool('write_file', { path: 'add.js', content: PROPOSED })] },
    { agent: 'coder', task: 'T1', content: [tool('write_file', { path: 'add.test.js', content: ADD_TEST })] },
    { agent: 'coder', task: 'T1', content: [tool('task_complete', { summary: 'done' })] },
  ];
}

describe('munero build --review approve (per-hunk prompt over stdin)', function () {
  this.timeout(90_000);
  let server: ScriptedServer;
  before(() => {
    const build = spawnSync(process.execPath, ['esbuild.js'], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(build.status, 0, build.stderr);
  });
  afterEach(() => server?.close());

  it('asks per hunk; y accepts, n rejects with the reason line, ? prints help; the agent hears the reason', async () => {
    server = await serve(script());
    const workspace = reviewWorkspace();
    const env = { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: server.url };
    const run = await munero(['build', 'SPEC.md', '--workspace', workspace, '--review', 'approve'], '?\ny\nn\nuse the existing parser\ny\n', env);
    assert.equal(run.code, 0, run.out + run.err);
    assert.match(run.out, /── add\.js \(task T1\), hunk 1 of 2, proposed\n@@ -2,1 \+2,1 @@\n-exports\.add = \(a, b\) => a - b;\n\+exports\.add = \(a, b\) => a \+ b;/);
    assert.match(run.out, /Accept this hunk \[y,n,a,d,\?\]\? /);
    assert.match(run.out, /d - reject this hunk and the rest of the file/);
    assert.equal(read(workspace, 'add.js'), HUNK1_ONLY);
    const told = lastToolResults(requestsOf(server, 'coder', 'T1')[1])[0].content;
    assert.match(told, /add\.js, hunk 2 \(your lines 4-4\) rejected: use the existing parser/);
  });

  it('d rejects the rest of the file with one reason; when stdin closes, the rest is rejected and nothing lands', async () => {
    server = await serve(script());
    const workspace = reviewWorkspace();
    const env = { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: server.url };
    const run = await munero(['build', 'SPEC.md', '--workspace', workspace, '--review', 'approve', '--max-iterations', '1'], 'd\nnot now\n', env);
    assert.notEqual(run.code, 2, run.err);
    assert.equal(fs.readFileSync(path.join(workspace, 'add.js'), 'utf8'), BEFORE, 'add.js byte-identical');
    assert.equal(read(workspace, 'add.test.js'), undefined, 'the test file never landed: stdin had closed');
    const results = requestsOf(server, 'coder', 'T1').slice(1).map((r) => lastToolResults(r)[0].content);
    assert.match(results[0], /the file was NOT modified[\s\S]*hunk 1 \(your lines 2-2\) rejected: not now[\s\S]*hunk 2 \(your lines 4-4\) rejected: not now/);
    assert.match(results[1], /add\.test\.js.*NOT modified[\s\S]*rejected: no answer \(stdin closed\)/);
  });

  it('--review review applies the changes and says how many hunks await `munero review`, which keeps or undoes them', async () => {
    server = await serve(script());
    const workspace = reviewWorkspace();
    const env = { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: server.url };
    const run = await munero(['build', 'SPEC.md', '--workspace', workspace, '--review', 'review'], '', env);
    assert.equal(run.code, 0, run.out + run.err);
    assert.match(run.out, /3 hunks await review in add\.js, add\.test\.js: keep or undo them with `munero review`/);
    const review = await munero(['review', '--workspace', workspace], 'y\nn\n\n', env);
    assert.equal(review.code, 0, review.err);
    assert.match(review.out, /Keep this hunk \[y,n,a,d,\?\]\? /);
    assert.equal(read(workspace, 'add.js'), HUNK1_ONLY);
    assert.match(review.out, /1 hunk awaits review in add\.test\.js/, 'stdin closed: the rest stays pending, not undone');
  });
});
