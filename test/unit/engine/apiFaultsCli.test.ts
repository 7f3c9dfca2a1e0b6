import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import type { ScriptedServer } from '../../../src/scripted/server';
import { runCli as munero } from './cliRun';
import { closedPort } from './faultServers';
import { addAttempt, ADD_SPEC, makeWorkspace, planTurn, repoRoot, serve } from './helpers';

describe('munero build when the API fails: exit codes and the lines a user reads', function () {
  this.timeout(90_000);
  let server: ScriptedServer | undefined;
  before(() => {
    const build = spawnSync(process.execPath, ['esbuild.js'], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(build.status, 0, build.stderr);
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('a bad key: exit 2, the 401 line with the endpoint and what to do, "1 model request", nothing blamed on the plan', async () => {
    server = await serve([{ ...planTurn(), faults: [{ type: 'bad_key' }] }, ...addAttempt()]);
    const workspace = makeWorkspace({ 'SPEC.md': ADD_SPEC });
    const run = await munero(['build', 'SPEC.md', '--workspace', workspace], { ANTHROPIC_API_KEY: 'sk-wrong', ANTHROPIC_BASE_URL: server.url });
    assert.equal(run.code, 2, run.out + run.err);
    assert.match(run.out, new RegExp(`paused — Claude API at ${server.url}: 401 authentication_error \\(invalid x-api-key\\): the API key was refused; set a valid key in ANTHROPIC_API_KEY`));
    assert.match(run.out, /R1 .* — not planned yet \(the build stopped before its plan\)/);
    assert.doesNotMatch(run.out, /no task serves it/);
    assert.match(run.out, /\n {2}1 model request, /);
    assert.equal(run.err, '', 'no stack trace');

    const resumed = await munero(['resume', '--workspace', workspace], { ANTHROPIC_API_KEY: 'sk-right', ANTHROPIC_BASE_URL: server.url });
    assert.equal(resumed.code, 0, resumed.out + resumed.err);
    assert.match(resumed.out, /verified/);
    assert.match(resumed.out, /\n {2}4 model requests, /, 'the refused attempt stays counted');
  });

  it('a base URL with no scheme: exit 2 at once, naming the setting and the fix', async () => {
    const workspace = makeWorkspace({ 'SPEC.md': ADD_SPEC });
    const run = await munero(['build', 'SPEC.md', '--workspace', workspace], { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: 'localhost:8787' });
    assert.equal(run.code, 2);
    assert.equal(run.err, 'munero build: The Claude API base URL "localhost:8787" (ANTHROPIC_BASE_URL) has no scheme: set ANTHROPIC_BASE_URL to http://localhost:8787.\n');
    assert.equal(run.out, '');
  });

  it('nothing listening: retried, then paused with exit 1, each retry and the summary naming the URL, every attempt counted', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const workspace = makeWorkspace({ 'SPEC.md': ADD_SPEC });
    const run = await munero(['build', 'SPEC.md', '--workspace', workspace], { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: url });
    assert.equal(run.code, 1, run.out + run.err);
    const retries = run.out.split('\n').filter((l) => l.includes('model request failed'));
    assert.equal(retries.length, 3);
    for (const line of retries) assert.ok(line.includes(`(${url}: connection refused (ECONNREFUSED`), line);
    assert.match(run.out, new RegExp(`paused — Claude API at ${url} still failing after 4 attempts: connection refused .*start the server or fix the base URL in ANTHROPIC_BASE_URL, then run \`munero resume\``));
    assert.match(run.out, /\n {2}4 model requests, /);
  });
});
