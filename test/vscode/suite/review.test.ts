import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { BuildManager } from '../../../src/core';
import { startScriptedServer, type ScriptFile, type ScriptedServer } from '../../../src/scripted';
import type { MuneroApi } from '../../../src/extension/extension';
import { ReviewCodeLens } from '../../../src/extension/review/reviewCodeLens';
import { ReviewModel } from '../../../src/extension/review/reviewModel';
import { reviewSourceOf } from '../../../src/extension/review/reviewSource';
import { proposalUri } from '../../../src/extension/review/reviewUris';
import fixture from '../fixtures/review/review.json';
import { waitFor } from './waitFor';

type Decided = { decided: string[]; stale: string[] };

const root = () => vscode.workspace.workspaceFolders![0].uri.fsPath;
const onDisk = (rel: string) => fs.readFileSync(path.join(root(), rel), 'utf8');

async function munero(): Promise<MuneroApi> {
  const ext = vscode.extensions.getExtension<MuneroApi>('munero.munero');
  assert.ok(ext);
  return ext.activate();
}

async function lenses(uri: vscode.Uri): Promise<{ title: string; line: number; arg: unknown }[]> {
  await vscode.workspace.openTextDocument(uri); // the provider runs over an open document only
  const found = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
  return found.filter((l) => l.command).map((l) => ({ title: l.command!.title, line: l.range.start.line, arg: l.command!.arguments?.[0] }));
}

describe('Inline review in a real VS Code', function () {
  let api: MuneroApi;
  let server: ScriptedServer;
  const config = () => vscode.workspace.getConfiguration('munero');

  before(async () => {
    api = await munero();
    await api.keys.set('test-key');
    // A scripted model of our own, so the test can read what the agent was sent.
    server = await startScriptedServer({ script: fixture.script as ScriptFile });
    await config().update('baseUrl', server.url, vscode.ConfigurationTarget.Global);
    for (const f of [fixture.greet, fixture.list]) {
      fs.writeFileSync(path.join(root(), f.specPath), f.spec);
      fs.writeFileSync(path.join(root(), f.path), f.original);
    }
  });

  after(async () => {
    await config().update('baseUrl', undefined, vscode.ConfigurationTarget.Global);
    await config().update('review', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await server?.close();
  });

  it('approve mode: lenses over each proposed hunk; a rejected hunk keeps its bytes, an edited one lands as edited, and the agent hears the reason', async () => {
    await config().update('review', 'approve', vscode.ConfigurationTarget.Global);
    const review = api.review!;
    const spec = vscode.Uri.file(path.join(root(), fixture.greet.specPath));
    void vscode.commands.executeCommand('munero.buildFromSpec', spec);
    const file = await waitFor(() => review.model.fileByPath('greet.js')?.hunks.length === 2 && review.model.fileByPath('greet.js'), 'the proposal of greet.js');
    assert.equal(file.state, 'proposed');
    assert.equal(onDisk('greet.js'), fixture.greet.original, 'nothing lands before a decision');
    const [h1, h2] = file.hunks;
    assert.deepEqual([h1!.newStart, h2!.newStart], [2, 10]);

    // The proposal opens where it is reviewed, with the hunks painted and a lens row over each.
    const editor = (await vscode.commands.executeCommand<vscode.TextEditor>('munero.review.open', 'greet.js'))!;
    assert.equal(editor.document.uri.toString(), proposalUri('greet.js').toString());
    assert.equal(editor.document.getText(), fixture.greet.proposed);
    await waitFor(() => review.decorations.paintedAt.has(editor.document.uri.toString()), 'decorations on the proposal');
    const rows = await lenses(editor.document.uri);
    assert.deepEqual(rows.filter((r) => r.title === 'Accept').map((r) => [r.line, r.arg]), [[1, h1!.id], [9, h2!.id]]);
    assert.deepEqual(rows.filter((r) => r.line === 1).map((r) => r.title), ['Accept', 'Reject', 'Accept File', 'Reject File', 'Diff']);
    const onRealFile = await lenses(vscode.Uri.file(path.join(root(), 'greet.js')));
    assert.match(onRealFile[0]!.title, /^Munero proposes 2 changes here, not applied yet/);

    // Reject hunk 1 with a reason; edit hunk 2 in the proposal (saved in memory only), accept it.
    const decidedAt = Date.now();
    const rejected = await vscode.commands.executeCommand<Decided>('munero.review.rejectHunk', h1!.id, { reason: fixture.reason });
    assert.deepEqual(rejected?.decided, [h1!.id]);
    assert.equal(onDisk('greet.js'), fixture.greet.original);
    const editedLine = '  return `${greeting}, dear ${name}!`;';
    const edit = new vscode.WorkspaceEdit();
    edit.replace(editor.document.uri, editor.document.lineAt(9).range, editedLine);
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await editor.document.save());
    assert.equal(onDisk('greet.js'), fixture.greet.original, 'saving the proposal does not write the file');
    const accepted = await vscode.commands.executeCommand<Decided>('munero.review.acceptHunk', h2!.id);
    assert.deepEqual(accepted?.decided, [h2!.id]);

    await api.controller!.whenIdle();
    const expected = fixture.greet.original.replace('  return `${greeting} ${name}`;', editedLine);
    assert.equal(onDisk('greet.js'), expected, 'hunk 1 as before, hunk 2 as the user edited it');
    const next = server.log.find((e) => e.task === 'T1' && e.at >= decidedAt);
    assert.ok(next, 'T1 made another request after the decisions');
    assert.ok(JSON.stringify(next.body).includes(fixture.reason), 'the next request for T1 carries the reason');
    assert.equal(api.controller!.live.state?.status, 'verified');
    assert.equal(review.model.snapshot.pendingCount, 0);
  });

  it('review mode: Accept keeps the applied bytes, Reject File restores them exactly, a stale hunk is refused, and the review survives a reload', async () => {
    await config().update('review', 'review', vscode.ConfigurationTarget.Global);
    const review = api.review!;
    const spec = vscode.Uri.file(path.join(root(), fixture.list.specPath));
    await vscode.commands.executeCommand('munero.buildFromSpec', spec);
    await api.controller!.whenIdle();
    assert.equal(onDisk('list.js'), fixture.list.proposed, 'applied at once');
    const file = await waitFor(() => review.model.fileByPath('list.js'), 'list.js under review');
    assert.equal(file.state, 'applied');
    assert.deepEqual(file.hunks.map((h) => [h.status, h.newStart]), [['pending', 1], ['pending', 5], ['pending', 9]]);
    const uri = vscode.Uri.file(path.join(root(), 'list.js'));
    const rows = await lenses(uri);
    assert.deepEqual(rows.filter((r) => r.title === 'Reject').map((r) => r.line), [0, 4, 8]);

    // The tree's Changes node and the status bar count what awaits review.
    const changes = api.tree!.getChildren().find((n) => n.kind === 'changes')!;
    assert.match(String(api.tree!.getTreeItem(changes).description), /^3 hunks to review · review$/);
    const [fileNode] = api.tree!.getChildren(changes).filter((n) => n.kind === 'changedFile' && n.path === 'list.js');
    assert.match(String(api.tree!.getTreeItem(fileNode!).description), /3 hunks: 3 to review/);

    const [h1, h2, h3] = file.hunks;
    await vscode.commands.executeCommand('munero.review.acceptHunk', h1!.id);
    assert.equal(onDisk('list.js'), fixture.list.proposed, 'Accept writes exactly the proposed bytes');

    // A reload: a new manager and model over the same workspace see the same review.
    const reloaded = new ReviewModel(reviewSourceOf(new BuildManager({ workspaceRoot: root() })), vscode.workspace.workspaceFolders![0].uri);
    try {
      const again = reloaded.fileByPath('list.js')!;
      assert.deepEqual(again.hunks.map((h) => [h.id, h.status]), [[h1!.id, 'accepted'], [h2!.id, 'pending'], [h3!.id, 'pending']]);
      const doc = await vscode.workspace.openTextDocument(uri);
      const lensLines = new ReviewCodeLens(reloaded).provideCodeLenses(doc).filter((l) => l.command?.title === 'Accept').map((l) => l.range.start.line);
      assert.deepEqual(lensLines, [4, 8]);
    } finally {
      reloaded.dispose();
    }

    // The user changes hunk 3's line: undoing it would overwrite their text, so it is refused.
    const userText = fixture.list.proposed.replace('return items.size;', 'return items.size; // mine');
    fs.writeFileSync(uri.fsPath, userText);
    const refused = await vscode.commands.executeCommand<Decided>('munero.review.rejectHunk', h3!.id, { reason: '' });
    assert.deepEqual(refused?.stale, [h3!.id]);
    assert.equal(onDisk('list.js'), userText, 'a stale hunk never touches the file');
    fs.writeFileSync(uri.fsPath, fixture.list.proposed);

    const rejected = await vscode.commands.executeCommand<Decided>('munero.review.rejectFile', 'list.js', { reason: 'keep the array' });
    assert.ok(rejected?.decided.includes(h2!.id));
    const expected = fixture.list.proposed.replace('items.add(x);', 'items.push(x);');
    assert.equal(onDisk('list.js'), expected, 'hunk 1 kept, hunk 2 restored byte for byte');
  });
});
