import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { MuneroApi } from '../../../src/extension/extension';
import { munero, root, serverRow, writeVscodeMcpJson } from './mcpHelpers';
import { waitFor } from './waitFor';

// Runs with `node test/vscode/run.mjs --restricted`, where the folder opens in Restricted Mode.
describe('Munero in Restricted Mode', () => {
  before(function () {
    if (vscode.workspace.isTrusted) this.skip();
  });

  it('Restricted Mode: refuses to build, explains why, and touches nothing', async () => {
    const ext = vscode.extensions.getExtension<MuneroApi>('munero.munero')!;
    const api = await ext.activate();
    const root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const spec = vscode.Uri.file(path.join(root, 'SPEC.md'));
    const result = await vscode.commands.executeCommand('munero.buildFromSpec', spec);
    assert.equal(result, undefined);
    assert.equal(api.controller!.isRunning, false);
    assert.equal(fs.existsSync(path.join(root, '.munero')), false, 'no state folder was made');
    assert.equal(fs.existsSync(path.join(root, 'calc.js')), false);
  });
});

describe('MCP servers in Restricted Mode', () => {
  before(function () {
    if (vscode.workspace.isTrusted) this.skip();
  });

  it('Restricted Mode: a .vscode/mcp.json server is not started, even allowed and asked to start', async () => {
    const api = await munero();
    const started = path.join(root(), '..', 'restricted-started.log');
    const config = vscode.workspace.getConfiguration('munero');
    // The bundled servers (the user's own) would start; this test is about the workspace's.
    for (const name of ['memory', 'sequentialThinking', 'filesystem']) await config.update(`mcp.bundled.${name}`, false, vscode.ConfigurationTarget.Global);
    try {
      writeVscodeMcpJson(started);
      const notes = await waitFor(() => serverRow(api.tree!, 'notes'), 'the notes server in the tree');
      await vscode.commands.executeCommand('munero.mcp.allow', notes.node, { confirm: false });
      await vscode.commands.executeCommand('munero.mcp.refresh');
      const after = serverRow(api.tree!, 'notes')!.item;
      assert.equal(after.description, `stopped · vscode · defined in ${path.join(root(), '.vscode', 'mcp.json')}, and the workspace is not trusted`);
      assert.equal(after.contextValue, 'mcpServer.blocked', 'no Restart to offer');
      assert.equal(fs.existsSync(started), false, 'the server process never ran');
      assert.equal(fs.existsSync(path.join(root(), '.munero')), false, 'nothing was written into the workspace');
    } finally {
      fs.rmSync(path.join(root(), '.vscode', 'mcp.json'), { force: true });
      for (const name of ['memory', 'sequentialThinking', 'filesystem']) await config.update(`mcp.bundled.${name}`, undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
