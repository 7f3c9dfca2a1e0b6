import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadMcpServers } from '../../../src/core/mcp/config';
import { bridgedToolName } from '../../../src/core/mcp/toolNames';

function workspace(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'munero-mcpcfg-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

describe('MCP server configuration', () => {
  it('reads .munero/mcp.json over .vscode/mcp.json over the user settings', () => {
    const root = workspace({
      '.munero/mcp.json': JSON.stringify({ mcpServers: { shared: { command: 'munero-wins' }, web: { url: 'https://example.com/mcp', headers: { Authorization: 'Bearer ${env:TOKEN}' } } } }),
      '.vscode/mcp.json': '// VS Code writes JSONC\n{ "servers": { "shared": { "type": "stdio", "command": "vscode" }, "gh": { "type": "http", "url": "https://api.example.com/mcp", "headers": { "X-Key": "${input:key}" }, }, }, "inputs": [ { "id": "key", "type": "promptString", "password": true } ] }',
    });
    const { servers, errors } = loadMcpServers(root, { mine: { command: 'node', args: ['${workspaceFolder}/s.js'], timeout: 5 }, shared: { command: 'user' } }, { env: { TOKEN: 't0k' }, inputs: { key: 'k3y' } });
    assert.deepEqual(errors, []);
    const by = Object.fromEntries(servers.map((s) => [s.name, s]));
    assert.equal(by.shared.command, 'munero-wins');
    assert.equal(by.shared.source, 'munero');
    assert.equal(by.mine.source, 'user');
    assert.deepEqual(by.mine.args, [`${root}/s.js`]);
    assert.equal(by.mine.timeoutMs, 5000);
    assert.equal(by.web.transport, 'http');
    assert.equal(by.web.headers.Authorization, 'Bearer t0k');
    assert.equal(by.gh.source, 'vscode');
    assert.equal(by.gh.headers['X-Key'], 'k3y');
  });

  it('reports each wrong entry by file, server and field, and still loads the others', () => {
    const root = workspace({
      '.munero/mcp.json': JSON.stringify({ mcpServers: { ok: { command: 'node' }, bad: { command: 'node', args: 'not-a-list' }, empty: {}, 'has space': { command: 'x' }, slow: { command: 'x', timeout: -1 } } }),
      '.vscode/mcp.json': '{ "servers": { "needsInput": { "command": "x", "env": { "K": "${input:missing}" } } } }',
    });
    const { servers, errors } = loadMcpServers(root, { u: { command: 'x', permission: 'sometimes' } });
    assert.deepEqual(servers.map((s) => s.name), ['ok']);
    const text = errors.join('\n');
    const file = path.join(root, '.munero', 'mcp.json');
    assert.match(text, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: server "bad": field "args"`));
    assert.match(text, /server "empty": entry needs "command" \(stdio\) or "url" \(http\)/);
    assert.match(text, /server "has space": the name may use only/);
    assert.match(text, /server "slow": field "timeout"/);
    assert.match(text, /\.vscode\/mcp\.json: server "needsInput": field "env\.K" uses \$\{input:missing\}, which has no value \(set MUNERO_MCP_INPUT_MISSING\)/);
    assert.match(text, /settings munero\.mcpServers: server "u": field "permission"/);
  });

  it('names a file that is not JSON', () => {
    const root = workspace({ '.munero/mcp.json': '{ nope' });
    const { errors } = loadMcpServers(root);
    assert.match(errors[0], /mcp\.json: not valid JSON/);
  });

  it('bridges names to the API rules with a stable hash on change, length or collision', () => {
    assert.equal(bridgedToolName('memory', 'create_entities'), 'mcp__memory__create_entities');
    const dotted = bridgedToolName('my.server', 'get');
    assert.match(dotted, /^mcp__my_server__get_[0-9a-f]{8}$/);
    assert.equal(bridgedToolName('my.server', 'get'), dotted);
    const taken = new Set(['mcp__a__b']);
    const second = bridgedToolName('a', 'b', taken);
    assert.notEqual(second, 'mcp__a__b');
    assert.match(second, /^[a-zA-Z0-9_-]{1,64}$/);
    assert.equal(bridgedToolName('s', 'y'.repeat(100)).length, 64);
  });
});

describe('allowed workspace servers', () => {
  it('are remembered per workspace outside it, and must be allowed again when the command changes', async () => {
    const { AllowedServers } = await import('../../../src/core/mcp/allowedServers');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'munero-allowed-'));
    const file = path.join(dir, 'mcp-allowed.json');
    const root = workspace({ '.munero/mcp.json': JSON.stringify({ mcpServers: { db: { command: 'node', args: ['db.js'] } } }) });
    const [db] = loadMcpServers(root).servers;
    const allowed = new AllowedServers(file, root);
    assert.equal(allowed.isAllowed(db), false);
    allowed.allow(db);
    assert.equal(allowed.isAllowed(db), true);
    assert.equal(new AllowedServers(file, '/some/other/workspace').isAllowed(db), false);
    assert.equal(allowed.isAllowed({ ...db, args: ['evil.js'] }), false);
  });
});
