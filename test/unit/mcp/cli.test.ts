import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeWorkspace, repoRoot } from '../engine/helpers';
import { SERVERS_DIR } from './serverFixtures';

const cli = path.join(repoRoot, 'dist', 'cli.js');

function munero(args: string[], userDir: string) {
  const run = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, ANTHROPIC_API_KEY: undefined, MUNERO_USER_CONFIG: path.join(userDir, 'config.json') }, timeout: 60_000 });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

describe('munero mcp list / allow (the shipped bundle and its bundled servers)', function () {
  this.timeout(90_000);
  before(() => {
    const build = spawnSync(process.execPath, ['esbuild.js'], { cwd: repoRoot, encoding: 'utf8' });
    assert.ok(fs.existsSync(path.join(repoRoot, 'dist', 'mcp', 'memory.mjs')), build.stderr);
  });

  it('lists the bundled servers ready, a workspace server waiting for the user, and a wrong entry by file, server and field', () => {
    const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'munero-user-'));
    const toy = { command: process.execPath, args: [path.join(SERVERS_DIR, 'toyServer.mjs')] };
    const ws = makeWorkspace({ '.munero/mcp.json': JSON.stringify({ mcpServers: { toy, broken: { args: 'x' } } }) });
    fs.writeFileSync(path.join(userDir, 'mcp.json'), JSON.stringify({ mcpServers: { mine: toy } }));

    const first = munero(['mcp', 'list', '--workspace', ws], userDir);
    assert.equal(first.code, 1, first.err);
    assert.match(first.out, /config error: .*\.munero\/mcp\.json: server "broken": field "args"/);
    assert.match(first.out, /memory +ready +9 tools +bundled/);
    assert.match(first.out, /sequential-thinking +ready +1 tool +bundled/);
    assert.match(first.out, /filesystem +ready +5 tools +bundled/);
    assert.match(first.out, /mine +ready +3 tools +user/);
    assert.match(first.out, /toy +stopped +0 tools +munero .*munero mcp allow toy/);

    const allow = munero(['mcp', 'allow', 'toy', '--workspace', ws], userDir);
    assert.equal(allow.code, 0, allow.err);
    assert.ok(!fs.readdirSync(path.join(ws, '.munero')).some((f) => /allowed/.test(f)), 'the allow is kept outside the workspace');
    const json = JSON.parse(munero(['mcp', 'list', '--json', '--workspace', ws], userDir).out);
    assert.equal(json.servers.find((s: { name: string }) => s.name === 'toy').state, 'ready');
  });
});
