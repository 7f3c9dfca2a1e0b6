import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { McpHub } from '../../../src/core/mcp/hub';
import { API_TOOL_NAME } from '../../../src/core/mcp/toolNames';
import { startHttpServer, toyServer } from './serverFixtures';

describe('McpHub with real server processes', function () {
  this.timeout(30_000);
  let logDir: string;
  const hubs: McpHub[] = [];
  const hub = (opts: Partial<ConstructorParameters<typeof McpHub>[0]> & { servers: ConstructorParameters<typeof McpHub>[0]['servers'] }) => {
    const h = new McpHub({ logDir, trusted: true, isAllowed: () => false, ...opts });
    hubs.push(h);
    return h;
  };

  beforeEach(() => {
    logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'munero-mcp-'));
  });
  afterEach(async () => {
    await Promise.all(hubs.splice(0).map((h) => h.dispose()));
  });

  it('starts a server on first need, bridges its tools as mcp__<server>__<tool> and calls them', async () => {
    const h = hub({ servers: [toyServer('toy', 'normal')] });
    assert.equal(h.statuses()[0].state, 'stopped', 'not started before a build needs it');
    const { tools, errors } = await h.toolsFor();
    assert.deepEqual(errors, []);
    assert.deepEqual(tools.map((t) => t.name).sort(), ['mcp__toy__echo', 'mcp__toy__env', 'mcp__toy__remember']);
    const out = await h.call('mcp__toy__echo', { text: 'hi' });
    assert.deepEqual(out, { ok: true, content: 'echo: hi\n[image image/png, 3 bytes, not shown]' });
    const status = h.statuses()[0];
    assert.equal(status.state, 'ready');
    assert.equal(status.tools, 3);
    assert.match(fs.readFileSync(status.logFile, 'utf8'), /toy server \(normal\) up/);
  });

  it('checks input against the schema before calling', async () => {
    const h = hub({ servers: [toyServer('toy', 'normal')] });
    await h.toolsFor();
    const out = await h.call('mcp__toy__echo', { text: 3 });
    assert.equal(out.ok, false);
    assert.match((out as { error: string }).error, /Invalid input for mcp__toy__echo: "text" must be string/);
  });

  it('passes an allowlisted environment: never the API key', async () => {
    process.env.ANTHROPIC_API_KEY = 'sk-ant-secret';
    process.env.SOME_CLOUD_TOKEN = 'secret';
    try {
      const h = hub({ servers: [toyServer('toy', 'normal', { env: { MY_SETTING: 'x' } })] });
      await h.toolsFor();
      const out = await h.call('mcp__toy__env', {});
      assert.ok(out.ok);
      const names = out.content.split(',');
      assert.ok(names.includes('MY_SETTING'));
      assert.ok(!names.includes('ANTHROPIC_API_KEY'));
      assert.ok(!names.includes('SOME_CLOUD_TOKEN'));
    } finally {
      delete process.env.ANTHROPIC_API_KEY;
      delete process.env.SOME_CLOUD_TOKEN;
    }
  });

  it('asks before a tool that is not read-only: the CLI denies unless --allow-mcp allows it', async () => {
    const denied = hub({ servers: [toyServer('toy', 'normal')] });
    await denied.toolsFor();
    const out = await denied.call('mcp__toy__remember', { fact: 'x' });
    assert.equal(out.ok, false);
    assert.match((out as { error: string }).error, /needs the user's permission.*--allow-mcp toy:remember/);

    const allowed = hub({ servers: [toyServer('toy', 'normal')], allowRules: ['toy:remember'] });
    await allowed.toolsFor();
    assert.deepEqual(await allowed.call('mcp__toy__remember', { fact: 'x' }), { ok: true, content: 'remembered x' });

    const asked: string[] = [];
    const prompted = hub({ servers: [toyServer('toy', 'normal')], ask: async (r) => (asked.push(`${r.server}:${r.tool}:${r.agentId}`), false) });
    await prompted.toolsFor();
    const declined = await prompted.call('mcp__toy__remember', { fact: 'x' }, { agentId: 'coder-T1-a1' });
    assert.deepEqual(asked, ['toy:remember:coder-T1-a1']);
    assert.match((declined as { error: string }).error, /declined/);
  });

  it('does not list denied tools', async () => {
    const h = hub({ servers: [toyServer('toy', 'normal', { tools: { remember: 'deny' } })] });
    const { tools } = await h.toolsFor();
    assert.ok(!tools.some((t) => t.name === 'mcp__toy__remember'));
  });

  it('reports a server that crashes on its second call loudly, then restarts it with backoff', async () => {
    const h = hub({ servers: [toyServer('crashy', 'crash-second')] });
    await h.toolsFor();
    assert.equal((await h.call('mcp__crashy__echo', { text: 'one' })).ok, true);
    const second = await h.call('mcp__crashy__echo', { text: 'two' });
    assert.equal(second.ok, false);
    assert.match((second as { error: string }).error, /MCP server "crashy": echo failed: .*[\s\S]*crashing on purpose/);
    const failed = h.statuses()[0];
    assert.equal(failed.state, 'failed');
    assert.match(failed.lastError ?? '', /exited or dropped[\s\S]*crashing on purpose/);
    const deadline = Date.now() + 10_000;
    while (h.statuses()[0].state !== 'ready' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.equal(h.statuses()[0].state, 'ready', 'restarted after the backoff');
    assert.equal((await h.call('mcp__crashy__echo', { text: 'three' })).ok, true);
  });

  it('stops a call that hangs past the per-server timeout with a message naming the setting', async () => {
    const h = hub({ servers: [toyServer('slow', 'hang', { timeoutMs: 400 })] });
    await h.toolsFor();
    const started = Date.now();
    const out = await h.call('mcp__slow__slow_tool', {});
    assert.ok(Date.now() - started < 5000);
    assert.equal(out.ok, false);
    assert.match((out as { error: string }).error, /slow_tool timed out after 0.4 s .*"timeout"/);
  });

  it('renames tools the API would reject, without collisions, and leaves out a non-object schema with a reason', async () => {
    const h = hub({ servers: [toyServer('odd', 'bad-names')] });
    const { tools, errors } = await h.toolsFor();
    const names = tools.map((t) => t.name);
    assert.equal(names.length, 3);
    assert.equal(new Set(names).size, 3);
    for (const n of names) assert.match(n, API_TOOL_NAME);
    assert.ok(names.includes('mcp__odd__do_thing_'), 'the clean name keeps its own');
    assert.ok(names.some((n) => /^mcp__odd__do_thing__[0-9a-f]{8}$/.test(n)), names.join(' '));
    assert.match(errors.join('\n'), /tool "array_input" left out: its input schema has type "array"/);
    const long = names.find((n) => n.startsWith('mcp__odd__xxx'))!;
    assert.equal(long.length, 64);
    assert.equal((await h.call(long, {})).ok, true);
  });

  it('fails loudly with the command when a server cannot start', async () => {
    const h = hub({ servers: [toyServer('broken', 'normal', { command: '/nonexistent/server-binary', args: [] })] });
    const { tools, errors } = await h.toolsFor();
    assert.deepEqual(tools, []);
    assert.match(errors[0], /MCP server "broken" \(\/nonexistent\/server-binary\) did not start: .*ENOENT/);
    assert.equal(h.statuses()[0].state, 'failed');
    const started = Date.now();
    const again = await h.toolsFor();
    assert.ok(Date.now() - started < 200, 'a failed start is not retried by the next agent at once');
    assert.equal(again.errors[0], errors[0]);
  });

  it('does not start a workspace server until the user allowed it, nor in an untrusted workspace', async () => {
    const ws = toyServer('ws', 'normal', { source: 'munero', origin: '.munero/mcp.json' });
    const notAllowed = hub({ servers: [ws] });
    assert.deepEqual((await notAllowed.toolsFor()).tools, []);
    assert.match(notAllowed.statuses()[0].lastError ?? '', /not started until you allow it/);
    const untrusted = hub({ servers: [ws], trusted: false, isAllowed: () => true });
    assert.match(untrusted.statuses()[0].lastError ?? '', /not trusted/);
    const allowed = hub({ servers: [ws], isAllowed: () => true });
    assert.equal((await allowed.toolsFor()).tools.length, 3);
  });

  for (const mode of ['streamable', 'sse'] as const) {
    it(`talks to a server over HTTP (${mode === 'sse' ? 'falling back to SSE' : 'Streamable HTTP'})`, async () => {
      const { port, child } = await startHttpServer(mode);
      try {
        const url = mode === 'sse' ? `http://127.0.0.1:${port}/sse` : `http://127.0.0.1:${port}/mcp`;
        const h = hub({ servers: [{ ...toyServer('web', ''), transport: 'http', command: undefined, args: [], url }] });
        const { tools, errors } = await h.toolsFor();
        assert.deepEqual(errors, []);
        assert.deepEqual(tools.map((t) => t.name), ['mcp__web__shout']);
        assert.deepEqual(await h.call('mcp__web__shout', { text: 'quiet' }), { ok: true, content: 'QUIET' });
        await h.dispose();
      } finally {
        child.kill();
      }
    });
  }
});
