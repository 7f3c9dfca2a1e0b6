import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { MuneroApi } from '../../../src/extension/extension';

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
