import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ADD_SPEC, makeWorkspace, repoRoot } from '../engine/helpers';
import { bundleCli, cli } from './bundledCli';

const inspector = path.join(repoRoot, 'node_modules', '@modelcontextprotocol', 'inspector', 'cli', 'build', 'cli.js');

/** The MCP Inspector's command-line mode against `node dist/cli.js mcp`; its stdout is the JSON result. */
function inspect(workspace: string, args: string[]) {
  const run = spawnSync(process.execPath, [inspector, '--cli', process.execPath, cli, 'mcp', '--workspace', workspace, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ANTHROPIC_API_KEY: '' },
    timeout: 60_000,
  });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout);
}

describe('munero mcp under the MCP Inspector CLI', function () {
  this.timeout(120_000);
  before(bundleCli);

  it('lists the tools and calls them, an unknown tool coming back as isError', () => {
    const workspace = makeWorkspace({ 'SPEC.md': ADD_SPEC });
    const listed = inspect(workspace, ['--method', 'tools/list']);
    assert.deepEqual(listed.tools.map((t: { name: string }) => t.name).sort(), ['build_status', 'cancel_build', 'check_spec', 'get_report', 'list_requirements', 'list_specs', 'resume_build', 'start_build']);
    const start = listed.tools.find((t: { name: string }) => t.name === 'start_build');
    assert.deepEqual(start.inputSchema.required, ['spec']);

    const checked = inspect(workspace, ['--method', 'tools/call', '--tool-name', 'check_spec', '--tool-arg', 'spec=SPEC.md']);
    assert.notEqual(checked.isError, true);
    assert.deepEqual(JSON.parse(checked.content[0].text).requirements.map((r: { id: string }) => r.id), ['R1']);

    const specs = inspect(workspace, ['--method', 'tools/call', '--tool-name', 'list_specs']);
    assert.deepEqual(JSON.parse(specs.content[0].text).specs, [{ path: 'SPEC.md', kind: 'file' }]);

    const unknown = inspect(workspace, ['--method', 'tools/call', '--tool-name', 'no_such_tool']);
    assert.equal(unknown.isError, true);

    const resources = inspect(workspace, ['--method', 'resources/list']);
    assert.deepEqual(resources.resources.map((r: { uri: string }) => r.uri).sort(), ['munero://build/current/events', 'munero://build/current/state']);
  });
});
