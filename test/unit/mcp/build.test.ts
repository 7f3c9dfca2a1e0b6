import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { BuildManager, type McpSettings } from '../../../src/core';
import { ADD_SPEC, makeWorkspace, planTurn, serve, tool } from '../engine/helpers';

const ADD = 'exports.add = (a, b) => a + b;\n';
const ADD_TEST = "const test = require('node:test');\nconst assert = require('node:assert');\nconst { add } = require('./add');\ntest('R1: adds', () => assert.strictEqual(add(2, 3), 5));\n";

async function build(files: Record<string, string>, turns: Parameters<typeof serve>[0], mcp: McpSettings) {
  const workspace = makeWorkspace({ 'SPEC.md': ADD_SPEC, ...files });
  const server = await serve(turns);
  const manager = new BuildManager({ workspaceRoot: workspace, env: { apiKey: 'test-key', baseURL: server.url, sandbox: 'off' }, mcp });
  try {
    const result = await manager.start('SPEC.md');
    return { workspace, server, result, manager };
  } finally {
    await manager.mcp.dispose();
    await server.close();
  }
}

function toolNames(body: unknown): string[] {
  return ((body as { tools?: { name: string }[] }).tools ?? []).map((t) => t.name);
}

describe('builds with MCP tools (scripted Messages API, real server processes)', function () {
  this.timeout(60_000);

  it('the coder stores a lesson with mcp__memory__create_entities and reads it back; it lands in .munero/memory.json', async () => {
    const entity = { name: 'adder', entityType: 'module', observations: ['add.js exports add(a, b)'] };
    const agents = { roles: { coder: { mcpServers: ['memory'] } } };
    const { workspace, server, result } = await build(
      { '.munero/agents.json': JSON.stringify(agents) },
      [
        planTurn(),
        { agent: 'coder', task: 'T1', content: [tool('mcp__memory__create_entities', { entities: [entity] }), tool('write_file', { path: 'add.js', content: ADD }), tool('write_file', { path: 'add.test.js', content: ADD_TEST })] },
        { agent: 'coder', task: 'T1', content: [tool('mcp__memory__open_nodes', { names: ['adder'] })], expect: { tool_results_contain: ['adder'] } },
        { agent: 'coder', task: 'T1', content: [tool('task_complete', { summary: 'done' })], expect: { tool_results_contain: ['add.js exports add(a, b)'] } },
      ],
      {},
    );
    assert.deepEqual(server.rejected(), []);
    assert.equal(result.outcome, 'verified', result.reason);
    const names = toolNames(server.log.find((e) => e.agent === 'coder')!.body);
    assert.ok(names.includes('mcp__memory__create_entities'), names.join(', '));
    assert.ok(!names.some((n) => n.startsWith('mcp__sequential-thinking') || n.startsWith('mcp__filesystem__')), 'only the servers the role lists');
    const planner = server.log.find((e) => e.agent === 'planner')!;
    assert.ok(!toolNames(planner.body).some((n) => n.startsWith('mcp')), 'the planner gets no MCP tools');
    const memory = fs.readFileSync(path.join(workspace, '.munero', 'memory.json'), 'utf8');
    assert.match(memory, /"name":"adder"/);
  });

  it('by default the coder finds MCP tools on demand (mcp_tools, mcp_call), keeping its fixed prefix under 8 KiB', async () => {
    const { server, result } = await build(
      {},
      [
        planTurn(),
        { agent: 'coder', task: 'T1', content: [tool('mcp_tools', { query: 'search' })] },
        { agent: 'coder', task: 'T1', content: [tool('mcp_call', { tool: 'mcp__memory__read_graph', arguments: {} })], expect: { tool_results_contain: ['mcp__memory__search_nodes', 'input_schema'] } },
        { agent: 'coder', task: 'T1', content: [tool('write_file', { path: 'add.js', content: ADD }), tool('write_file', { path: 'add.test.js', content: ADD_TEST })], expect: { tool_results_contain: ['entities'] } },
        { agent: 'coder', task: 'T1', content: [tool('task_complete', { summary: 'done' })] },
      ],
      {},
    );
    assert.deepEqual(server.rejected(), []);
    assert.equal(result.outcome, 'verified', result.reason);
    const requests = server.log.filter((e) => e.agent === 'coder').map((e) => e.body as { system: unknown; tools: unknown[] });
    const names = requests[0].tools.map((t) => (t as { name: string }).name);
    assert.ok(names.includes('mcp_tools') && names.includes('mcp_call'));
    assert.ok(!names.some((n) => n.startsWith('mcp__')));
    const prefix = JSON.stringify(requests[0].system).length + JSON.stringify(requests[0].tools).length;
    assert.ok(prefix < 8192, `coder prefix ${prefix} chars`);
    assert.ok(requests.every((r) => JSON.stringify(r.tools) === JSON.stringify(requests[0].tools)), 'the same tools on every turn');
  });

  it('a write through the filesystem server is a normal change in changes.jsonl', async () => {
    const agents = { roles: { coder: { mcpServers: ['filesystem'] } } };
    const { workspace, server, result, manager } = await build(
      { '.munero/agents.json': JSON.stringify(agents) },
      [
        planTurn(),
        { agent: 'coder', task: 'T1', content: [tool('mcp__filesystem__write_file', { path: 'add.js', content: ADD }), tool('write_file', { path: 'add.test.js', content: ADD_TEST })] },
        { agent: 'coder', task: 'T1', content: [tool('mcp__filesystem__read_text_file', { path: 'add.js' })], expect: { tool_results_contain: ['Created add.js'] } },
        { agent: 'coder', task: 'T1', content: [tool('task_complete', { summary: 'done' })], expect: { tool_results_contain: ['exports.add'] } },
      ],
      { allowRules: ['filesystem:write_file'] },
    );
    assert.deepEqual(server.rejected(), []);
    assert.equal(result.outcome, 'verified', result.reason);
    const changes = fs
      .readFileSync(path.join(workspace, '.munero', 'builds', result.buildId, 'changes.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    const addChange = changes.find((c) => c.path === 'add.js');
    assert.ok(addChange, JSON.stringify(changes));
    assert.match(JSON.stringify(addChange), /coder-T1-a1/);
    assert.equal(fs.readFileSync(path.join(workspace, 'add.js'), 'utf8'), ADD);
    assert.ok(manager.mcp.statuses().some((s) => s.name === 'filesystem'));
  });

  it('without --allow-mcp, a filesystem write comes back to the agent as a tool error with the reason', async () => {
    const agents = { roles: { coder: { mcpServers: ['filesystem'] } } };
    const { server } = await build(
      { '.munero/agents.json': JSON.stringify(agents) },
      [
        planTurn(),
        { agent: 'coder', task: 'T1', content: [tool('mcp__filesystem__write_file', { path: 'add.js', content: ADD })] },
        { agent: 'coder', task: 'T1', content: [tool('write_file', { path: 'add.js', content: ADD }), tool('write_file', { path: 'add.test.js', content: ADD_TEST })], expect: { tool_results_contain: ['needs the user', '--allow-mcp filesystem:write_file'] } },
        { agent: 'coder', task: 'T1', content: [tool('task_complete', { summary: 'done' })] },
      ],
      {},
    );
    assert.deepEqual(server.rejected(), []);
  });
});
