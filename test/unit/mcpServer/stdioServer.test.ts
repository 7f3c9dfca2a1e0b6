import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { LoggingMessageNotificationSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ScriptedServer } from '../../../src/scripted/server';
import { addAttempt, ADD_SPEC, makeWorkspace, planTurn, serve } from '../engine/helpers';
import { bundleCli, cli } from './bundledCli';


/** An SDK client talking to `node dist/cli.js mcp` in a real child process, its log lines collected. */
async function connect(workspace: string, env: Record<string, string> = {}) {
  const stderr: string[] = [];
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [cli, 'mcp', '--workspace', workspace],
    env: { ...(process.env as Record<string, string>), ANTHROPIC_API_KEY: '', ...env },
    stderr: 'pipe',
  });
  transport.stderr?.on('data', (d) => stderr.push(String(d)));
  const client = new Client({ name: 'munero-test', version: '1.0.0' });
  const logs: string[] = [];
  // A line on stdout that is not an MCP frame would land here.
  const errors: Error[] = [];
  client.onerror = (err) => void errors.push(err);
  client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void logs.push(String(n.params.data)));
  await client.connect(transport);
  return { client, logs, stderr, errors };
}

const textOf = (r: unknown) => ((r as CallToolResult).content[0] as { text: string }).text;
const jsonOf = (r: unknown) => JSON.parse(textOf(r));
const resourceText = async (client: Client, uri: string) => ((await client.readResource({ uri })).contents[0] as { text: string }).text;

describe('munero mcp (stdio server, SDK client)', function () {
  this.timeout(120_000);
  let server: ScriptedServer | undefined;
  let client: Client | undefined;
  before(bundleCli);
  afterEach(async () => {
    await client?.close();
    client = undefined;
    server?.close();
    server = undefined;
  });

  it('refuses a workspace that is not a folder, and a subcommand it does not know, with exit 2 and nothing on stdout', () => {
    for (const args of [['mcp', '--workspace', '/no/such/folder'], ['mcp', 'frobnicate']]) {
      const run = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', input: '' });
      assert.equal(run.status, 2, run.stderr);
      assert.equal(run.stdout, '');
    }
  });

  it('lists its tools and resources, finds and checks specs, and refuses what it cannot do with isError', async () => {
    const workspace = makeWorkspace({ 'SPEC.md': ADD_SPEC, 'docs/login.spec.md': '# login\n\n- R1: logs in\n', 'specs/001-albums/spec.md': '# albums\n\n- R1: lists albums\n', 'README.md': '# not a spec\n' });
    const connected = await connect(workspace);
    client = connected.client;

    const tools = (await client.listTools()).tools.map((t) => t.name).sort();
    assert.deepEqual(tools, ['build_status', 'cancel_build', 'check_spec', 'get_report', 'list_requirements', 'list_specs', 'resume_build', 'start_build']);
    const resources = (await client.listResources()).resources.map((r) => r.uri).sort();
    assert.deepEqual(resources, ['munero://build/current/events', 'munero://build/current/state']);

    const specs = jsonOf(await client.callTool({ name: 'list_specs', arguments: {} })).specs;
    assert.deepEqual(specs, [
      { path: 'SPEC.md', kind: 'file' },
      { path: 'docs/login.spec.md', kind: 'file' },
      { path: 'specs/001-albums', kind: 'folder' },
      { path: 'specs/001-albums/spec.md', kind: 'file' },
    ]);

    const check = jsonOf(await client.callTool({ name: 'check_spec', arguments: { spec: 'SPEC.md' } }));
    assert.deepEqual(check.requirements.map((r: { id: string }) => r.id), ['R1']);
    assert.deepEqual(check.errors, []);
    const outside = await client.callTool({ name: 'check_spec', arguments: { spec: '../elsewhere.md' } });
    assert.equal(outside.isError, true);
    assert.match(textOf(outside), /outside the workspace/);

    const listed = jsonOf(await client.callTool({ name: 'list_requirements', arguments: { spec: 'SPEC.md' } }));
    assert.deepEqual(listed.requirements.map((r: { id: string; verdict: string }) => [r.id, r.verdict]), [['R1', 'unverified']]);

    for (const [name, pattern] of [['get_report', /no build/], ['cancel_build', /No build is running/], ['resume_build', /no build to resume/]] as const) {
      const r = await client.callTool({ name, arguments: {} });
      assert.equal(r.isError, true, name);
      assert.match(textOf(r), pattern);
    }
    const noKey = await client.callTool({ name: 'start_build', arguments: { spec: 'SPEC.md' } });
    assert.equal(noKey.isError, true);
    assert.match(textOf(noKey), /ANTHROPIC_API_KEY/);
    const badArgs = await client.callTool({ name: 'start_build', arguments: { spec: 'SPEC.md', maxIterations: -1 } });
    assert.equal(badArgs.isError, true);
    const unknown = await client.callTool({ name: 'no_such_tool', arguments: {} });
    assert.equal(unknown.isError, true);

    assert.equal(await resourceText(client, 'munero://build/current/state'), 'null');
    assert.match(connected.stderr.join(''), /serving .* over stdio/);
  });

  it('start_build returns the id at once; build_status waits with progress until verified; report, requirements and resources follow', async () => {
    server = await serve([{ ...planTurn(), latency_ms: 400 }, ...addAttempt()]);
    const workspace = makeWorkspace({ 'SPEC.md': ADD_SPEC });
    const connected = await connect(workspace, { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: server.url });
    client = connected.client;

    const startedAt = Date.now();
    const started = jsonOf(await client.callTool({ name: 'start_build', arguments: { spec: 'SPEC.md', maxIterations: 3, maxCostUsd: 5 } }));
    assert.ok(Date.now() - startedAt < 5_000, 'the id came back before the build ended');
    assert.match(started.buildId, /\S/);
    assert.equal(started.status, 'running');
    const twice = await client.callTool({ name: 'start_build', arguments: { spec: 'SPEC.md' } });
    assert.equal(twice.isError, true);
    assert.match(textOf(twice), /already running/);

    const progress: string[] = [];
    const status = jsonOf(
      await client.callTool({ name: 'build_status', arguments: { wait_seconds: 90 } }, undefined, { timeout: 100_000, onprogress: (p) => void progress.push(p.message ?? '') }),
    );
    assert.equal(status.buildId, started.buildId);
    assert.equal(status.running, false);
    assert.equal(status.status, 'verified', JSON.stringify(status));
    assert.ok(progress.length > 0, 'progress notifications reached the waiting request');
    assert.ok(progress.some((m) => /Starting build|plan|T1/.test(m)), progress.join('\n'));
    assert.ok(connected.logs.some((l) => l.includes(started.buildId)), 'build events arrive as logging notifications');
    assert.deepEqual(connected.errors, [], 'stdout carried only MCP frames');

    const requirements = jsonOf(await client.callTool({ name: 'list_requirements', arguments: {} }));
    assert.deepEqual(requirements.requirements.map((r: { id: string; verdict: string }) => [r.id, r.verdict]), [['R1', 'verified']]);
    const report = textOf(await client.callTool({ name: 'get_report', arguments: {} }));
    assert.match(report, new RegExp(`# Munero build ${started.buildId}`));
    assert.match(report, /R1 \| ✅ verified/);

    const state = JSON.parse(await resourceText(client, 'munero://build/current/state'));
    assert.equal(state.id, started.buildId);
    assert.equal(state.status, 'verified');
    const events = (await resourceText(client, 'munero://build/current/events')).split('\n').map((l) => JSON.parse(l));
    assert.equal(events[0].type, 'build.started');
    assert.equal(events.at(-1).type, 'build.finished');
    const resumed = await client.callTool({ name: 'resume_build', arguments: {} });
    assert.equal(resumed.isError, true);
    assert.match(textOf(resumed), /already ended/);
  });

  it('cancel_build stops a running build and resume_build carries it on to verified', async () => {
    server = await serve([{ ...planTurn(), latency_ms: 4_000 }, planTurn(), ...addAttempt()]);
    const workspace = makeWorkspace({ 'SPEC.md': ADD_SPEC });
    ({ client } = await connect(workspace, { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: server.url }));

    const { buildId } = jsonOf(await client.callTool({ name: 'start_build', arguments: { spec: 'SPEC.md' } }));
    const cancelled = jsonOf(await client.callTool({ name: 'cancel_build', arguments: {} }));
    assert.equal(cancelled.running, false);
    assert.equal(cancelled.status, 'cancelled', JSON.stringify(cancelled));

    const again = jsonOf(await client.callTool({ name: 'resume_build', arguments: { maxIterations: 3 } }));
    assert.equal(again.buildId, buildId);
    const status = jsonOf(await client.callTool({ name: 'build_status', arguments: { wait_seconds: 90 } }, undefined, { timeout: 100_000 }));
    assert.equal(status.status, 'verified', JSON.stringify(status));
  });
});
