import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { LockInfo, WatchEnd } from '../../../src/core';
import type { MuneroApi } from '../../../src/extension/extension';
import { startScriptedServer, type ScriptedServer } from '../../../src/scripted';
import { adderSpec, adderTurns } from './adderBuild';
import { munero, root } from './mcpHelpers';
import { waitFor } from './waitFor';

const SPEC_PATH = path.join('watched', 'SPEC.md');
const SPEC = adderSpec('watched', 2);

function lock(): LockInfo | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(root(), '.munero', 'lock'), 'utf8')) as LockInfo;
  } catch {
    return undefined;
  }
}

/** The tree's top build row, as the user reads it. */
function buildRow(api: MuneroApi): { label: string; description: string } | undefined {
  const node = api.tree!.getChildren().find((n) => n.kind === 'build');
  if (!node) return undefined;
  const item = api.tree!.getTreeItem(node);
  return { label: String(item.label), description: String(item.description) };
}

describe('Concurrency: one build per workspace, watched from elsewhere', function () {
  let api: MuneroApi;
  let model: ScriptedServer | undefined;
  let cli: ChildProcess | undefined;
  const spec = () => vscode.Uri.file(path.join(root(), SPEC_PATH));
  const config = () => vscode.workspace.getConfiguration('munero');

  before(async () => {
    api = await munero();
    await api.keys.set('test-key');
    fs.mkdirSync(path.join(root(), 'watched'), { recursive: true });
    fs.writeFileSync(spec().fsPath, SPEC);
  });

  afterEach(async () => {
    if (cli && cli.exitCode === null) cli.kill('SIGKILL');
    cli = undefined;
    await config().update('baseUrl', undefined, vscode.ConfigurationTarget.Global);
    await model?.close();
    model = undefined;
  });

  it('a CLI build in this workspace: Build names it, and Watch makes the tree, panel and status follow it to its end', async () => {
    model = await startScriptedServer({ script: { version: 1, turns: adderTurns('watched', 2500) } });
    const cliPath = path.join(vscode.extensions.getExtension('munero.munero')!.extensionPath, 'dist', 'cli.js');
    cli = spawn(process.execPath, [cliPath, 'build', spec().fsPath, '--workspace', root()], {
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: model.url },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) => cli!.once('exit', resolve));
    const holder = await waitFor(() => lock()?.pid === cli!.pid && lock(), 'the CLI build to take the workspace lock');
    assert.equal(holder.program, 'the munero CLI');
    assert.equal(holder.specPath, SPEC_PATH);
    // Without watching, the window already tells the CLI's build from an interrupted one: the tree is
    // read now, before that build has a state document, and refreshes when the CLI writes it.
    buildRow(api);
    await waitFor(() => buildRow(api)?.label === `Build ${holder.buildId}` && buildRow(api)!.description.startsWith('running elsewhere'), "the tree to show the CLI's build running elsewhere");
    const row = api.tree!.getChildren().find((n) => n.kind === 'build')!;
    assert.equal(api.tree!.getTreeItem(row).contextValue, 'build.elsewhere', 'the row offers Watch');
    assert.match((api.tree!.getTreeItem(row).tooltip as vscode.MarkdownString).value, new RegExp(`Run by build ${holder.buildId} of watched/SPEC\\.md by the munero CLI \\(pid ${cli.pid} on `));

    // The panel starts folding mid-build (from the log on disk), before the watch relays the run from its start.
    const events = path.join(root(), '.munero', 'builds', holder.buildId, 'events.jsonl');
    await waitFor(() => fs.existsSync(events) && fs.readFileSync(events, 'utf8').includes('"build.started"'), 'the CLI build to log its start');
    assert.ok(api.progress!.model);

    // Build from this window while the CLI holds the lock: refused (with a Watch offer), nothing started here.
    const controller = api.controller!;
    assert.equal(await vscode.commands.executeCommand('munero.buildFromSpec', spec()), undefined);
    assert.equal(controller.isRunning, false);
    assert.equal(lock()?.pid, cli.pid, 'the CLI still holds the lock');

    // Watch: what the notification's button runs.
    const rows: string[] = [];
    const seen = api.tree!.onDidChangeTreeData(() => {
      const row = buildRow(api);
      if (row) rows.push(`${row.label}: ${row.description}`);
    });
    let end: WatchEnd | undefined;
    try {
      const watching = vscode.commands.executeCommand<WatchEnd | undefined>('munero.watchBuild');
      await waitFor(() => controller.watcher.isWatching, 'the window to start watching');
      // A second Watch (the button clicked again) follows the same watch.
      const again = vscode.commands.executeCommand<WatchEnd | undefined>('munero.watchBuild');
      await waitFor(() => controller.live.state?.id === holder.buildId && controller.live.running, "the tree to show the CLI's build running");
      end = await watching;
      assert.deepEqual(await again, end);
    } finally {
      seen.dispose();
    }
    assert.equal(end?.kind, 'finished');
    assert.equal(end?.kind === 'finished' && end.outcome, 'verified');
    assert.equal(await exited, 0, 'the CLI build itself ended verified');

    const id = holder.buildId;
    assert.ok(rows.some((r) => r.startsWith(`Build ${id}: running`)), `the tree showed the CLI's build running; saw ${JSON.stringify(rows)}`);
    const final = buildRow(api)!;
    assert.equal(final.label, `Build ${id}`);
    assert.match(final.description, /^verified · iteration 1\/2/);
    const build = api.tree!.getChildren().find((n) => n.kind === 'build')!;
    const task = api.tree!.getChildren(build).find((n) => n.kind === 'task')!;
    assert.match(String(api.tree!.getTreeItem(task).description), /^done/);
    const requirements = api.tree!.getChildren().find((n) => n.kind === 'requirements')!;
    assert.equal(api.tree!.getTreeItem(requirements).description, '1/1 verified');
    assert.equal(controller.live.running, false);
    assert.equal(controller.watcher.isWatching, false);

    // The progress panel folded the same events: the CLI's build, its task done, verified.
    const panel = api.progress!.model.snapshot();
    assert.equal(panel.build?.id, id);
    assert.equal(panel.build?.status, 'verified');
    assert.deepEqual(panel.tasks.map((t) => [t.id, t.status]), [['T1', 'done']]);
    const timeline = panel.timeline.map((l) => l.text);
    assert.equal(new Set(panel.timeline.map((l) => l.seq)).size, panel.timeline.length, 'no event folded twice');
    assert.ok(timeline.length > 0);
  });

  it('a second build from the same window is refused while the first runs; one build runs', async () => {
    model = await startScriptedServer({ script: { version: 1, turns: adderTurns('watched', 800) } });
    await config().update('baseUrl', model.url, vscode.ConfigurationTarget.Global);
    const controller = api.controller!;
    const historyBefore = controller.manager.history().length;
    const first = vscode.commands.executeCommand('munero.buildFromSpec', spec());
    await waitFor(() => controller.isRunning, 'the first build to start');
    const second = await vscode.commands.executeCommand('munero.buildFromSpec', spec());
    assert.equal(second, undefined, 'the second build did not start');
    // Watching our own build is the same: nothing to follow from another process.
    assert.equal(await vscode.commands.executeCommand('munero.watchBuild'), undefined);
    await first;
    await controller.whenIdle();
    assert.equal(controller.live.state?.status, 'verified');
    assert.equal(controller.manager.history().length, historyBefore + 1, 'exactly one build ran');
    assert.deepEqual(model.remainingTurns(), []);
  });
});
