// The extension's entry (dist/extension.js): small, so activation costs almost nothing. The
// workbench (engine, tree, panel, review, language client) is a separate bundle,
// dist/workbench.js, loaded on first use: a command, the Munero view or panel becoming
// visible, a spec opening, the API being read, or a build already in `.munero/`.
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { MuneroApi } from './extension';
import { isSpec } from './specPicker';

export function activate(context: vscode.ExtensionContext): MuneroApi {
  const started = Date.now();
  const log = vscode.window.createOutputChannel('Munero', { log: true });
  context.subscriptions.push(log);
  const placeholders: vscode.Disposable[] = [];
  let api: MuneroApi | undefined;

  const load = (why: string): MuneroApi => {
    if (api) return api;
    for (const p of placeholders.splice(0)) p.dispose();
    const loadStarted = Date.now();
    const workbench = require(path.join(context.extensionPath, 'dist', 'workbench.js')) as typeof import('./extension');
    api = workbench.activate(context, log);
    relayTree(api);
    log.info(`Munero workbench loaded for ${why} in ${Date.now() - loadStarted} ms`);
    return api;
  };

  // Each contributed command: load the workbench (which registers the real one), then run it.
  const commands = (context.extension.packageJSON as { contributes?: { commands?: { command: string }[] } }).contributes?.commands ?? [];
  for (const { command } of commands) {
    placeholders.push(
      vscode.commands.registerCommand(command, (...args: unknown[]) => {
        load(command);
        return vscode.commands.executeCommand(command, ...args);
      }),
    );
  }
  // The views stay registered here for good; their content comes from the workbench once loaded.
  const treeChanged = new vscode.EventEmitter<unknown>();
  const tree: vscode.TreeDataProvider<unknown> = {
    onDidChangeTreeData: treeChanged.event,
    getTreeItem: (node) => api!.tree!.getTreeItem(node as never),
    getChildren: (node) => {
      if (api) return api.tree?.getChildren(node as never) ?? [];
      setTimeout(() => load('the Build view'), 0);
      return [];
    },
  };
  context.subscriptions.push(
    treeChanged,
    vscode.window.createTreeView('munero.build', { treeDataProvider: tree, showCollapseAll: true }),
    vscode.window.registerWebviewViewProvider('munero.progress', { resolveWebviewView: (view) => load('the Progress view').progress?.resolveWebviewView(view) }),
  );
  const relayTree = (loaded: MuneroApi) => {
    if (loaded.tree) context.subscriptions.push(loaded.tree.onDidChangeTreeData((e) => treeChanged.fire(e)));
    treeChanged.fire(undefined);
  };

  const wantsWorkbench = (doc: vscode.TextDocument) =>
    doc.uri.scheme === 'file' && doc.languageId === 'markdown' && (isSpec(doc) || path.basename(doc.uri.fsPath).toLowerCase() === 'tasks.md');
  const opened = vscode.workspace.onDidOpenTextDocument((doc) => {
    if (wantsWorkbench(doc)) load('an open spec');
  });
  placeholders.push(opened);
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (vscode.workspace.textDocuments.some(wantsWorkbench)) setTimeout(() => load('an open spec'), 0);
  else if (folder && fs.existsSync(path.join(folder.uri.fsPath, '.munero', 'current.json'))) setTimeout(() => load('the build in .munero/'), 0);

  log.info(`Munero activated in ${Date.now() - started} ms`);
  // Reading the API (tests, other extensions) loads the workbench.
  const lazy = {} as MuneroApi;
  for (const key of API_KEYS) Object.defineProperty(lazy, key, { enumerable: true, get: () => load('the API')[key] });
  return lazy;
}

const API_KEYS: (keyof MuneroApi)[] = ['keys', 'controller', 'tree', 'progress', 'metrics', 'review', 'spec'];

export function deactivate(): void {}
