import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { Node } from '../../../src/extension/buildTree';
import type { MuneroApi } from '../../../src/extension/extension';

const root = () => vscode.workspace.workspaceFolders![0].uri.fsPath;
const onDisk = (rel: string) => (fs.existsSync(path.join(root(), rel)) ? fs.readFileSync(path.join(root(), rel), 'utf8') : null);

async function munero(): Promise<MuneroApi> {
  const ext = vscode.extensions.getExtension<MuneroApi>('munero.munero');
  assert.ok(ext);
  return ext.activate();
}

/** The fixture build of build.test.ts (T1 fails once, then T1 and T2 pass), rolled back to start by it. */
describe('The Timeline in a real VS Code', () => {
  const timelineNode = (api: MuneroApi): Node => {
    const build = api.tree!.getChildren().find((n) => n.kind === 'build')!;
    const node = api.tree!.getChildren(build).find((n) => n.kind === 'timeline');
    assert.ok(node, 'a Timeline node under the build');
    return node;
  };
  const checkpoints = (api: MuneroApi) => api.tree!.getChildren(timelineNode(api)).map((n) => api.tree!.getTreeItem(n));
  const activeTabLabel = () => vscode.window.tabGroups.activeTabGroup.activeTab?.label ?? '';

  it('lists the checkpoints of the build with their task, time and files', async () => {
    const api = await munero();
    assert.equal(String(api.tree!.getTreeItem(timelineNode(api)).label), 'Timeline');
    const items = checkpoints(api);
    assert.deepEqual(items.map((i) => String(i.label)), ['start', 'iter-1', 'task-T1-a2', 'task-T2-a1', 'iter-2', 'before-rollback-1']);
    assert.match(String(items[2].description), /^task T1 passed \(attempt 2\) · .+ · 2 files$/);
    assert.equal(items[2].contextValue, 'checkpoint.task');
    const t1 = api.tree!.getChildren(timelineNode(api))[2];
    const files = api.tree!.getChildren(t1).map((n) => api.tree!.getTreeItem(n));
    assert.deepEqual(files.map((f) => [String(f.label), f.description]), [['calc.js', undefined], ['add.test.js', 'test']]);

    // A file opens as a diff between the checkpoint and now.
    await vscode.commands.executeCommand(files[0].command!.command, ...files[0].command!.arguments!);
    assert.equal(activeTabLabel(), 'calc.js (task-T1-a2 ↔ now)');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Restore Files to Here previews the change, restores the files, and shows the undo checkpoint', async () => {
    const api = await munero();
    assert.equal(onDisk('calc.js'), null, 'build.test rolled the build back to start');
    await vscode.commands.executeCommand('munero.restoreFilesToHere', { checkpoint: 'task-T1-a2', confirm: false });
    assert.equal(activeTabLabel(), 'Restore to task-T1-a2 (preview) (2 files)', 'the multi-file preview opened first');
    assert.equal(onDisk('calc.js'), 'exports.add = (a, b) => a + b;\n');
    assert.equal(onDisk('test/mul.test.js'), null, "T2's test is not there yet at that checkpoint");
    assert.match(onDisk('test/add.test.js') ?? '', /add sums two numbers/);
    assert.deepEqual(checkpoints(api).map((i) => String(i.label)).slice(-1), ['before-rollback-2']);
    assert.equal(api.controller!.live.state?.tasks.T2.status, 'done', 'files only: the task state stays');

    // And it is undone the same way.
    await vscode.commands.executeCommand('munero.restoreFilesToHere', { checkpoint: 'before-rollback-2', confirm: false });
    assert.equal(onDisk('calc.js'), null);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
