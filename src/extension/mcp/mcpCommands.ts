import * as vscode from 'vscode';
import type { BuildManager } from '../../core';
import { missingInputId, type McpInputs } from './mcpInputs';
import type { McpPrompts } from './mcpPrompts';
import type { McpNode } from './mcpTree';

/**
 * Restart / Stop / Show Log / Allow on an MCP server in the tree, Allow / Deny on a waiting MCP
 * call, Enter Value on an entry lacking an `${input:id}`, a refresh that starts them all to show
 * their health, and a redraw when the servers' configuration changes.
 */
export function registerMcpCommands(manager: BuildManager, prompts: McpPrompts, inputs: McpInputs, refresh: () => void, log: vscode.LogOutputChannel): vscode.Disposable[] {
  const serverOf = (node?: McpNode) => (node?.kind === 'mcpServer' ? node.server : undefined);
  const run = (what: string, action: (name: string) => Promise<unknown> | unknown) => async (node?: McpNode) => {
    const server = serverOf(node);
    if (!server) return;
    try {
      await action(server.name);
    } catch (err) {
      log.error(`MCP server ${server.name}: ${what} failed: ${(err as Error).message}`);
      void vscode.window.showErrorMessage(`Munero: MCP server "${server.name}": ${(err as Error).message}`);
    } finally {
      refresh();
    }
  };
  const answer = (yes: boolean) => (node?: McpNode) => {
    if (node?.kind === 'mcpPrompt') prompts.answer(node.call.id, yes);
  };
  // The build controller already writes every event (a failed server included) to the log.
  const subscription = manager.bus.on('mcp.server').subscribe(() => refresh());
  const root = vscode.workspace.workspaceFolders?.[0];
  const configFiles = root ? vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(root, '{.vscode,.munero}/mcp.json')) : undefined;
  return [
    { dispose: () => subscription.unsubscribe() },
    { dispose: () => void manager.mcp.dispose() },
    ...(configFiles ? [configFiles, configFiles.onDidCreate(refresh), configFiles.onDidChange(refresh), configFiles.onDidDelete(refresh)] : []),
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('munero.mcpServers') || e.affectsConfiguration('munero.mcp') ? refresh() : undefined),
    vscode.commands.registerCommand('munero.mcp.restart', run('restart', (name) => manager.mcp.restart(name))),
    vscode.commands.registerCommand('munero.mcp.stop', run('stop', (name) => manager.mcp.stop(name))),
    vscode.commands.registerCommand('munero.mcp.showLog', async (node?: McpNode) => {
      const file = serverOf(node)?.logFile;
      if (file) await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: true }).then(undefined, () => vscode.window.showInformationMessage(`Munero: no log yet at ${file}.`));
    }),
    // `{confirm: false}` (a test, a keybinding) skips the question, which test mode cannot show.
    vscode.commands.registerCommand('munero.mcp.allow', (node?: McpNode, options?: { confirm?: boolean }) =>
      run('allow', async (name) => {
        const choice =
          options?.confirm === false
            ? 'Allow'
            : await vscode.window.showWarningMessage(
                `Allow MCP server "${name}" from this workspace? It runs with your rights, outside Munero's sandbox, whenever a build needs it.`,
                { modal: true },
                'Allow',
              );
        if (choice === 'Allow') manager.mcp.allow(name);
      })(node),
    ),
    // `{value}` (a test) skips the input box.
    vscode.commands.registerCommand('munero.mcp.enterInput', async (node?: McpNode, options?: { value?: string }) => {
      const id = node?.kind === 'mcpConfigError' ? missingInputId(node.message) : undefined;
      if (id && (await inputs.enter(id, options?.value))) refresh();
    }),
    vscode.commands.registerCommand('munero.mcp.allowCall', answer(true)),
    vscode.commands.registerCommand('munero.mcp.denyCall', answer(false)),
    vscode.commands.registerCommand('munero.mcp.refresh', async () => {
      await manager.mcp.probe().catch((err) => log.error(`MCP: ${(err as Error).message}`));
      for (const e of manager.mcp.configErrors()) log.error(`MCP configuration: ${e}`);
      refresh();
    }),
  ];
}
