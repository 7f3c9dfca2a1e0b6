import * as vscode from 'vscode';
import type { BuildState } from '../core';
import type { BuildView, PanelCommand } from './protocol';
import { BuildController } from './buildController';
import { BuildMetrics } from './buildMetrics';
import { BuildTreeProvider, type Node } from './buildTree';
import { ProgressViewProvider } from './panel/progressViewProvider';
import { InlineReview } from './review/inlineReview';
import { reviewSourceOf } from './review/reviewSource';
import { ApiKeyStore } from './secrets';
import { SpecLanguageFeatures } from './specLanguageFeatures';
import { isSpec, pickSpec } from './specPicker';
import { BuildStatusBar } from './statusBar';
import { registerTimeline } from './timeline/timelineCommands';
import { registerMcpCommands } from './mcp/mcpCommands';
import { McpInputs } from './mcp/mcpInputs';
import { McpPrompts } from './mcp/mcpPrompts';
import { mcpSettings } from './mcp/mcpSettings';

/** What tests (and other extensions) can reach through `activate()`'s return value. */
export interface MuneroApi {
  keys: ApiKeyStore;
  controller: BuildController | undefined;
  tree: BuildTreeProvider | undefined;
  progress: ProgressViewProvider | undefined;
  /** The current build's breakdown and the workspace's trends, as the tree and panel show them. */
  metrics: BuildMetrics | undefined;
  review: InlineReview | undefined;
  /** The spec language server's client side: started when a spec opens. */
  spec: SpecLanguageFeatures;
}

/**
 * Everything the extension shows and runs, in its own bundle (dist/workbench.js) that
 * activation.ts loads on first use; `log` is the channel the thin entry already made.
 */
export function activate(context: vscode.ExtensionContext, existingLog?: vscode.LogOutputChannel): MuneroApi {
  const started = Date.now();
  const log = existingLog ?? vscode.window.createOutputChannel('Munero', { log: true });
  const keys = new ApiKeyStore(context.secrets);
  context.subscriptions.push(log);
  const spec = new SpecLanguageFeatures(context.extensionPath, log);
  context.subscriptions.push(spec);
  const api: MuneroApi = { keys, controller: undefined, tree: undefined, progress: undefined, metrics: undefined, review: undefined, spec };

  const folder = vscode.workspace.workspaceFolders?.[0];
  if (folder) {
    const prompts = new McpPrompts();
    const inputs = new McpInputs(context.secrets, folder.uri.fsPath, () => api.tree?.refresh());
    const controller = new BuildController(folder, keys, log, () => mcpSettings(context.extensionPath, prompts.ask, inputs.values()));
    const review = new InlineReview(reviewSourceOf(controller.manager), folder.uri);
    const metrics = new BuildMetrics(controller.manager);
    const tree = new BuildTreeProvider(controller.live, review.model, controller.manager, controller.manager.mcp, prompts, metrics);
    const progress = new ProgressViewProvider(
      context.extensionUri,
      {
        events$: controller.manager.bus.events$,
        replay: () => ({ build: buildView(controller.live.state), events: controller.manager.events() }),
        metrics,
      },
      (command) => void vscode.commands.executeCommand(PANEL_COMMANDS[command]),
      (file, line) => void openFile(folder, file, line),
    );
    context.subscriptions.push(
      controller,
      metrics,
      prompts,
      review,
      tree,
      progress,
      new BuildStatusBar(controller.live),
      // Loaded by activation.ts, which owns the views and hands them to these providers.
      ...(existingLog ? [] : [vscode.window.createTreeView('munero.build', { treeDataProvider: tree, showCollapseAll: true }), vscode.window.registerWebviewViewProvider('munero.progress', progress)]),
      ...registerTimeline(controller, log),
      controller.onDidChangeVerdicts(() => spec.stateChanged()),
      ...registerMcpCommands(controller.manager, prompts, inputs, () => tree.refresh(), log),
    );
    Object.assign(api, { controller, tree, progress, metrics, review });
  }

  const withController = (run: (c: BuildController) => unknown) => () => {
    if (!api.controller) {
      void vscode.window.showErrorMessage('Munero: open a folder first; builds run in a workspace folder.');
      return;
    }
    return run(api.controller);
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('munero.buildFromSpec', async (arg?: unknown) => {
      if (!api.controller) return withController(() => undefined)();
      const spec = await pickSpec(arg);
      return spec ? api.controller.build(spec) : undefined;
    }),
    vscode.commands.registerCommand('munero.buildRequirement', async (specArg?: unknown, id?: unknown) => {
      if (!api.controller) return withController(() => undefined)();
      const specUri = await pickSpec(specArg);
      return specUri && typeof id === 'string' ? api.controller.build(specUri, [id]) : undefined;
    }),
    vscode.commands.registerCommand('munero.resumeBuild', withController((c) => c.resume())),
    vscode.commands.registerCommand('munero.watchBuild', withController((c) => c.watch())),
    vscode.commands.registerCommand('munero.cancelBuild', withController((c) => c.cancel())),
    vscode.commands.registerCommand('munero.rollbackBuild', (options?: { checkpoint?: string; confirm?: boolean }) => withController((c) => c.rollback(options ?? {}))()),
    vscode.commands.registerCommand('munero.showReport', withController((c) => c.showReport())),
    vscode.commands.registerCommand('munero.openStateFolder', withController((c) => c.openStateFolder())),
    vscode.commands.registerCommand('munero.openSpec', withController((c) => {
      const spec = c.live.state?.specPath;
      return spec ? vscode.window.showTextDocument(vscode.Uri.file(spec)) : undefined;
    })),
    vscode.commands.registerCommand('munero.cancelAgent', (node?: Node) => {
      if (!api.controller || node?.kind !== 'agent') return;
      if (api.controller.manager.cancelAgent(node.agent.id)) {
        void vscode.window.showInformationMessage(`Munero: cancelled ${node.agent.id}; its task is escalated and the rest of the build goes on.`);
      }
    }),
    vscode.commands.registerCommand('munero.showProgress', () => vscode.commands.executeCommand('munero.progress.focus')),
    vscode.commands.registerCommand('munero.setApiKey', async () => {
      const key = await keys.prompt();
      if (key) void vscode.window.showInformationMessage('Munero: API key saved in secret storage.');
    }),
  );

  const updateSpecContext = () =>
    void vscode.commands.executeCommand('setContext', 'munero.isSpec', vscode.window.activeTextEditor ? isSpec(vscode.window.activeTextEditor.document) : false);
  context.subscriptions.push(
    vscode.window.onDidChangeActiveTextEditor(updateSpecContext),
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('munero.specFiles') && updateSpecContext()),
  );
  updateSpecContext();
  log.info(`Munero ${existingLog ? 'workbench loaded' : 'activated'} in ${Date.now() - started} ms`);
  return api;
}

export function deactivate(): void {}

const PANEL_COMMANDS: Record<PanelCommand, string> = {
  resume: 'munero.resumeBuild',
  cancel: 'munero.cancelBuild',
  showReport: 'munero.showReport',
  openSpec: 'munero.openSpec',
};

function buildView(state: BuildState | undefined): BuildView | null {
  if (!state) return null;
  const { id, specPath, status, iteration, stopReason } = state;
  return { id, specPath, status, iteration, stopReason, maxIterations: state.options.maxIterations, maxCostUsd: state.options.maxCostUsd };
}

async function openFile(folder: vscode.WorkspaceFolder, file: string, line?: number): Promise<void> {
  const uri = file.startsWith('/') ? vscode.Uri.file(file) : vscode.Uri.joinPath(folder.uri, file);
  const position = new vscode.Position(Math.max(0, (line ?? 1) - 1), 0);
  await vscode.window.showTextDocument(uri, { selection: new vscode.Range(position, position) });
}
