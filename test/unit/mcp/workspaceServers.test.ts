import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WorkspaceMcp } from '../../../src/core/mcp/workspaceServers';
import { SERVERS_DIR } from './serverFixtures';

describe("WorkspaceMcp: a workspace's servers across configuration changes", function () {
  this.timeout(30_000);
  let root: string;
  let mcp: WorkspaceMcp;
  const writeConfig = (servers: Record<string, string>) => {
    const entries = Object.fromEntries(Object.entries(servers).map(([name, mode]) => [name, { command: process.execPath, args: [path.join(SERVERS_DIR, 'toyServer.mjs'), mode] }]));
    fs.writeFileSync(path.join(root, '.munero', 'mcp.json'), JSON.stringify({ mcpServers: entries }));
  };

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'munero-ws-mcp-'));
    fs.mkdirSync(path.join(root, '.munero'));
    const allowedFile = path.join(root, '..', `${path.basename(root)}-allowed.json`);
    mcp = new WorkspaceMcp(root, () => ({ userServers: {}, trusted: true, allowedFile, bundled: { enabled: { memory: false, 'sequential-thinking': false, filesystem: false } } }));
  });
  afterEach(async () => {
    await mcp.dispose();
  });

  it('allowing a second server keeps the first one running; changing a server restarts only that one', async () => {
    writeConfig({ a: 'normal', b: 'normal' });
    mcp.allow('a');
    await mcp.probe();
    const a = mcp.hub().connection('a')!;
    assert.equal(a.status().state, 'ready');

    mcp.allow('b');
    assert.equal(mcp.hub().connection('a'), a, 'the same connection, in the new configuration');
    assert.equal(a.status().state, 'ready', 'not stopped by the change');
    await mcp.probe();
    const b = mcp.hub().connection('b')!;
    assert.equal(b.status().state, 'ready');

    writeConfig({ a: 'normal', b: 'crash-second' });
    mcp.allow('b'); // a changed command must be allowed again
    const hub = mcp.hub();
    assert.equal(hub.connection('a'), a, 'a did not change');
    assert.equal(a.status().state, 'ready');
    assert.notEqual(hub.connection('b'), b, 'b did');
    assert.equal(b.status().state, 'stopped', 'its old process is stopped');
  });
});
