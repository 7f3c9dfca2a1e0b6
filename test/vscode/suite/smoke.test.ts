// The harness itself: a real VS Code 1.100 extension host, the test workspace open, and the
// Munero extension loaded from its development folder.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

const real = (p: string) => fs.realpathSync(path.resolve(p));

describe('smoke: the extension host', () => {
  it('is VS Code 1.100', () => {
    assert.match(vscode.version, /^1\.100\./);
  });

  it('has the test workspace open', () => {
    const expected = process.env.MUNERO_TEST_WORKSPACE;
    assert.ok(expected, 'MUNERO_TEST_WORKSPACE is not set in the extension host');
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.equal(folders.length, 1, `expected one workspace folder, got ${folders.map((f) => f.uri.toString()).join(', ') || 'none'}`);
    assert.equal(folders[0]!.uri.scheme, 'file');
    assert.equal(real(folders[0]!.uri.fsPath), real(expected));
  });

  it('has the Munero extension (munero.munero)', () => {
    const ext = vscode.extensions.getExtension('munero.munero');
    assert.ok(ext, 'vscode.extensions.getExtension("munero.munero") returned undefined');
  });
});
