import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { userConfigFile } from '../../../src/core/build/userConfig';
import type { MuneroApi } from '../../../src/extension/extension';
import { startScriptedServer, type ScriptedServer } from '../../../src/scripted';
import { CANCELLED_SCRIPT, DENIAL, LOOKUP_RESULT, NOTES_SCRIPT, NOTES_SPEC, NOTES_SPEC_PATH } from '../fixtures/mcp/notesBuild';
import { munero, root, serverRow, walk, writeVscodeMcpJson } from './mcpHelpers';
import { waitFor } from './waitFor';

type ToolResult = { type: 'tool_result'; is_error?: boolean; content?: string | { type: string; text?: string }[] };

/** The tool results a request to the model carried in its last user message. */
function toolResults(body: unknown): { text: string; isError: boolean }[] {
  const messages = (body as { messages?: { role: string; content: unknown }[] }).messages ?? [];
  const last = messages.at(-1);
  if (last?.role !== 'user' || !Array.isArray(last.content)) return [];
  return (last.content as ToolResult[])
    .filter((b) => b.type === 'tool_result')
    .map((b) => ({ text: typeof b.content === 'string' ? b.content : (b.content ?? []).map((c) => c.text ?? '').join(''), isError: b.is_error === true }));
}

const lines = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n') : []);

describe('MCP servers in a real VS Code', function () {
  let api: MuneroApi;
  let model: ScriptedServer;
  // Outside the workspace (the run folder), so it is no change of the build's.
  const started = () => path.join(root(), '..', 'notes-started.log');
  const tree = () => api.tree!;
  const row = (name: string) => serverRow(tree(), name);
  const config = () => vscode.workspace.getConfiguration('munero');

  before(async () => {
    api = await munero();
    await api.keys.set('test-key');
    model = await startScriptedServer({ script: NOTES_SCRIPT });
    await config().update('baseUrl', model.url, vscode.ConfigurationTarget.Global);
    fs.writeFileSync(path.join(root(), NOTES_SPEC_PATH), NOTES_SPEC);
    // The coder role gets the notes server's tools directly (and no other server starts).
    fs.mkdirSync(path.join(root(), '.munero'), { recursive: true });
    fs.writeFileSync(path.join(root(), '.munero', 'agents.json'), JSON.stringify({ roles: { coder: { mcpServers: ['notes'] } } }));
  });

  after(async () => {
    await config().update('baseUrl', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const f of [path.join('.vscode', 'mcp.json'), path.join('.munero', 'agents.json')]) fs.rmSync(path.join(root(), f), { force: true });
    await api.controller?.manager.mcp.dispose();
    await model?.close();
  });

  it("a .vscode/mcp.json server waits for Allow; allowed once (remembered for this workspace), it is not started before a build needs it", async () => {
    let redrawn = false;
    const watch = tree().onDidChangeTreeData(() => (redrawn = true));
    try {
      writeVscodeMcpJson(started());
      await waitFor(() => redrawn, 'the tree to redraw after .vscode/mcp.json appeared');
    } finally {
      watch.dispose();
    }
    const waiting = row('notes')!;
    assert.equal(waiting.item.description, 'waiting for Allow · vscode');
    assert.equal(waiting.item.contextValue, 'mcpServer.notAllowed');
    assert.match((waiting.item.tooltip as vscode.MarkdownString).value, /defined in \S+\/\.vscode\/mcp\.json: not started until you allow it/);
    assert.equal(row('broken')!.item.description, 'waiting for Allow · vscode');
    // A wrong entry is a row of its own, naming server and field, that opens the file.
    const servers = tree().getChildren().find((n) => n.kind === 'mcpServers')!;
    const typo = tree().getChildren(servers).map((n) => tree().getTreeItem(n)).find((i) => i.label === 'typo')!;
    assert.equal(typo.description, 'wrong entry · field "args" Invalid input: expected array, received string');
    assert.deepEqual(typo.command?.arguments, [vscode.Uri.file(path.join(root(), '.vscode', 'mcp.json'))]);
    assert.match(String(tree().getTreeItem(servers).description), / · 2 wrong entries$/, 'typo, and keyed until its input has a value');
    assert.equal(tree().getTreeItem(servers).contextValue, 'mcpServers', 'offers Start and Check MCP Servers');

    await vscode.commands.executeCommand('munero.mcp.allow', waiting.node, { confirm: false });
    const allowed = row('notes')!.item;
    assert.equal(allowed.description, 'stopped · vscode');
    assert.equal(allowed.contextValue, 'mcpServer.stopped');
    assert.equal(row('broken')!.item.description, 'waiting for Allow · vscode', 'only the server the user allowed');
    assert.deepEqual(lines(started()), [], 'allowing does not start it');
    const remembered = JSON.parse(fs.readFileSync(path.join(path.dirname(userConfigFile()), 'mcp-allowed.json'), 'utf8'));
    assert.deepEqual(Object.keys(remembered[root()]), ['notes'], 'kept in the user config folder, under this workspace');
    assert.equal(fs.existsSync(path.join(root(), '.munero', 'mcp-allowed.json')), false, 'never in the workspace');
  });

  it('an entry lacking an ${input:id} value asks for it, and keeps it in secret storage, not in a file', async () => {
    const servers = tree().getChildren().find((n) => n.kind === 'mcpServers')!;
    const lacking = tree().getChildren(servers).find((n) => n.kind === 'mcpConfigError' && tree().getTreeItem(n).label === 'keyed')!;
    const item = tree().getTreeItem(lacking);
    assert.equal(item.contextValue, 'mcpConfigError.input', 'offers Enter Value');
    assert.match(String(item.description), /^wrong entry · field "env\.NOTES_KEY" uses \$\{input:notes-key\}, which has no value/);

    await vscode.commands.executeCommand('munero.mcp.enterInput', lacking, { value: 'nk-SECRET-77' });
    assert.equal(row('keyed')?.item.description, 'waiting for Allow · vscode', 'now a server like the others');
    assert.match(String(tree().getTreeItem(servers).description), / · 1 wrong entry$/);
    for (const dir of [root(), path.dirname(userConfigFile())]) {
      for (const file of fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())) {
        assert.ok(!fs.readFileSync(path.join(file.parentPath, file.name), 'utf8').includes('nk-SECRET-77'), `${file.name} does not hold the value`);
      }
    }
  });

  it('its tools reach the coder: a read-only tool answers, an ask tool waits on a tree row naming the agent, and Deny reaches the agent as a tool error with the reason', async () => {
    const controller = api.controller!;
    void vscode.commands.executeCommand('munero.buildFromSpec', vscode.Uri.file(path.join(root(), NOTES_SPEC_PATH)));
    const prompt = await waitFor(() => walk(tree()).find((e) => e.node.kind === 'mcpPrompt'), 'the permission prompt for write_note');

    // The build needed the server: it started once and is ready with its two tools.
    assert.equal(row('notes')!.item.description, 'ready · 2 tools · vscode');
    assert.equal(lines(started()).length, 1);
    // The question is at the top of the tree, named after the agent, whose own row says it waits.
    assert.equal(prompt.parent, undefined);
    assert.deepEqual(tree().getChildren()[0], prompt.node, 'first, above the build');
    const agent = walk(tree()).find((e) => e.node.kind === 'agent' && e.node.agent.id === 'coder-T1-a1')!;
    assert.match(String(tree().getTreeItem(agent.node).description), /^waiting for your answer: write_note \(notes\)/);
    const promptItem = tree().getTreeItem(prompt.node);
    assert.equal(promptItem.label, 'Allow write_note (notes)?');
    assert.equal(promptItem.description, 'asked by coder-T1-a1 · {"key":"answer","value":"43"}');
    assert.equal(promptItem.contextValue, 'mcpPrompt');

    await vscode.commands.executeCommand('munero.mcp.denyCall', prompt.node);
    await controller.whenIdle();
    assert.equal(controller.live.state?.status, 'verified', controller.live.state?.stopReason);
    assert.equal(walk(tree()).filter((e) => e.node.kind === 'mcpPrompt').length, 0, 'the prompt is gone once answered');

    // What the coder was sent back, request by request.
    const coder = model.log.filter((e) => e.agent === 'coder' && e.status === 200).map((e) => toolResults(e.body));
    assert.deepEqual(coder[1], [{ text: LOOKUP_RESULT, isError: false }]);
    assert.deepEqual(coder[2], [{ text: DENIAL, isError: true }]);
    assert.deepEqual(model.remainingTurns(), []);
    const transcript = fs.readFileSync(path.join(root(), '.munero', 'builds', controller.live.state!.id, 'transcripts', 'coder-T1-a1.jsonl'), 'utf8');
    assert.ok(transcript.includes(LOOKUP_RESULT) && transcript.includes(DENIAL), 'both results are in the transcript');
  });

  it('a prompt still open when the build is cancelled is answered Deny, and the build stops', async () => {
    const controller = api.controller!;
    const cancelled = await startScriptedServer({ script: CANCELLED_SCRIPT });
    await config().update('baseUrl', cancelled.url, vscode.ConfigurationTarget.Global);
    try {
      void vscode.commands.executeCommand('munero.buildFromSpec', vscode.Uri.file(path.join(root(), NOTES_SPEC_PATH)));
      await waitFor(() => walk(tree()).find((e) => e.node.kind === 'mcpPrompt'), 'the permission prompt for write_note');
      await vscode.commands.executeCommand('munero.cancelBuild');
      await waitFor(() => !controller.isRunning, 'the cancelled build to stop', 20_000);
      assert.equal(controller.live.state?.status, 'cancelled');
      assert.equal(walk(tree()).filter((e) => e.node.kind === 'mcpPrompt').length, 0, 'no prompt is left open');
    } finally {
      await config().update('baseUrl', model.url, vscode.ConfigurationTarget.Global);
      await cancelled.close();
    }
  });

  it('Stop, Restart and Show Log act on the server, and its row shows each state', async () => {
    await vscode.commands.executeCommand('munero.mcp.stop', row('notes')!.node);
    assert.equal(row('notes')!.item.description, 'stopped · vscode');
    assert.equal(row('notes')!.item.contextValue, 'mcpServer.stopped');

    await vscode.commands.executeCommand('munero.mcp.restart', row('notes')!.node);
    assert.equal(row('notes')!.item.description, 'ready · 2 tools · vscode');
    assert.equal(row('notes')!.item.contextValue, 'mcpServer.ready');
    assert.equal(lines(started()).length, 2, 'a new server process');

    await vscode.commands.executeCommand('munero.mcp.showLog', row('notes')!.node);
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.fsPath, path.join(root(), '.munero', 'logs', 'mcp-notes.log'));
    assert.match(editor!.document.getText(), /\[stderr\] notes server ready/);
  });

  it('a server that exits at once shows failed with its own message', async () => {
    await vscode.commands.executeCommand('munero.mcp.allow', row('broken')!.node, { confirm: false });
    await vscode.commands.executeCommand('munero.mcp.restart', row('broken')!.node);
    const broken = row('broken')!.item;
    assert.match(String(broken.description), /^failed · vscode · .+: notes-db: cannot open \/nonexistent\/notes\.db \(ENOENT\)$/);
    assert.equal(broken.contextValue, 'mcpServer.failed');
    assert.match((broken.tooltip as vscode.MarkdownString).value, /Last error:[\s\S]*notes-db: cannot open/);
    assert.equal(row('notes')!.item.description, 'ready · 2 tools · vscode', 'allowing another server did not stop this one');
    const servers = tree().getChildren().find((n) => n.kind === 'mcpServers')!;
    // How many bundled servers are up depends on the builds before this suite.
    assert.match(String(tree().getTreeItem(servers).description), /^\d\/6 ready · 1 failed · 1 wrong entry$/);
  });
});
