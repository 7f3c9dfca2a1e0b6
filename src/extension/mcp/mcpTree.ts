import path from 'node:path';
import * as vscode from 'vscode';
import type { McpServerStatus } from '../../core';
import { missingInputId } from './mcpInputs';
import { describeCall, type PendingCall } from './mcpPrompts';

export type McpNode =
  | { kind: 'mcpServers' }
  | { kind: 'mcpServer'; server: McpServerStatus }
  | { kind: 'mcpConfigError'; message: string }
  | { kind: 'mcpPrompt'; call: PendingCall };

/** What the tree reads: the workspace's MCP servers as they are now. */
export interface McpSource {
  statuses(): McpServerStatus[];
  /** Wrong entries, each naming its file, server and field; such a server is left out of statuses(). */
  configErrors(): string[];
}

const STATE_ICONS: Record<McpServerStatus['state'], [string, string?]> = {
  starting: ['loading~spin', 'charts.blue'],
  ready: ['pass', 'testing.iconPassed'],
  failed: ['error', 'testing.iconFailed'],
  stopped: ['circle-outline'],
};

/**
 * The MCP Servers node: with a build, always; before the first build only when the user or the
 * workspace configured servers of their own (so they can be allowed), leaving an empty tree's
 * welcome view to workspaces with the bundled servers alone.
 */
export function mcpRoots(source: McpSource | undefined, hasBuild: boolean): McpNode[] {
  if (!source) return [];
  const configured = source.statuses().some((s) => s.source !== 'bundled') || source.configErrors().length > 0;
  return hasBuild || configured ? [{ kind: 'mcpServers' }] : [];
}

/** A row for each MCP call waiting for the user, named after the agent that asked. */
export function mcpPromptRoots(calls: PendingCall[] = []): McpNode[] {
  return calls.map((call) => ({ kind: 'mcpPrompt' as const, call }));
}

export function mcpChildren(source: McpSource, node: McpNode): McpNode[] {
  if (node.kind !== 'mcpServers') return [];
  return [...source.statuses().map((server) => ({ kind: 'mcpServer' as const, server })), ...source.configErrors().map((message) => ({ kind: 'mcpConfigError' as const, message }))];
}

export function mcpItem(source: McpSource, node: McpNode): vscode.TreeItem {
  if (node.kind === 'mcpPrompt') return promptItem(node.call);
  if (node.kind === 'mcpConfigError') return configErrorItem(node.message);
  if (node.kind === 'mcpServers') {
    const all = source.statuses();
    const item = new vscode.TreeItem('MCP Servers', vscode.TreeItemCollapsibleState.Collapsed);
    const failed = all.filter((s) => s.state === 'failed').length;
    const wrong = source.configErrors().length;
    item.description = `${all.filter((s) => s.state === 'ready').length}/${all.length} ready${failed ? ` · ${failed} failed` : ''}${wrong ? ` · ${wrong} wrong ${wrong === 1 ? 'entry' : 'entries'}` : ''}`;
    item.iconPath = new vscode.ThemeIcon('plug');
    item.contextValue = 'mcpServers';
    item.id = 'mcpServers';
    return item;
  }
  const s = node.server;
  const item = new vscode.TreeItem(s.name, vscode.TreeItemCollapsibleState.None);
  const waiting = s.blockedBy === 'allow';
  const [id, color] = waiting ? ['watch', 'charts.yellow'] : STATE_ICONS[s.state];
  item.iconPath = new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
  const state = waiting ? 'waiting for Allow' : s.state;
  item.description = [state, s.state === 'ready' ? `${s.tools} tools` : '', s.source, waiting ? '' : errorSummary(s.lastError)].filter(Boolean).join(' · ');
  item.tooltip = new vscode.MarkdownString(`**${s.name}** (${s.source}, ${s.transport}): ${state}, ${s.tools} tools${s.lastError ? `\n\n**${waiting ? 'Why' : 'Last error'}:**\n\n\`\`\`\n${s.lastError}\n\`\`\`` : ''}${s.logFile ? `\n\nLog: \`${s.logFile}\`` : ''}`);
  // A server that may not start (untrusted workspace, disabled) offers no Restart or Stop.
  item.contextValue = waiting ? 'mcpServer.notAllowed' : s.blockedBy ? 'mcpServer.blocked' : `mcpServer.${s.state}`;
  item.id = `mcpServer:${s.name}`;
  return item;
}

/** A wrong entry ("<file>: server "x": field "args" …"): named by its server, opening its file. */
function configErrorItem(message: string): vscode.TreeItem {
  const m = /^(.+?\.json): (?:server "([^"]+)": )?(.*)$/s.exec(message);
  const item = new vscode.TreeItem(m?.[2] ?? (m ? path.basename(m[1]!) : 'MCP configuration'), vscode.TreeItemCollapsibleState.None);
  item.description = `wrong entry · ${m?.[3] ?? message}`;
  item.tooltip = message;
  item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
  item.contextValue = missingInputId(message) ? 'mcpConfigError.input' : 'mcpConfigError';
  if (m) item.command = { command: 'vscode.open', title: 'Open', arguments: [vscode.Uri.file(m[1]!)] };
  return item;
}

function promptItem(call: PendingCall): vscode.TreeItem {
  const r = call.request;
  const item = new vscode.TreeItem(`Allow ${r.tool} (${r.server})?`, vscode.TreeItemCollapsibleState.None);
  item.description = `asked by ${r.agentId ?? 'an agent'} · ${JSON.stringify(r.input ?? {}).slice(0, 80)}`;
  item.tooltip = describeCall(r);
  item.iconPath = new vscode.ThemeIcon('question', new vscode.ThemeColor('charts.yellow'));
  item.contextValue = 'mcpPrompt';
  item.id = `mcpPrompt:${call.id}`;
  return item;
}

/**
 * The first line of a server's last error, plus the last line it wrote to stderr when the error
 * quotes it: "Connection closed" alone does not say why a server died; its own message does.
 */
export function errorSummary(lastError: string | undefined): string {
  if (!lastError) return '';
  const lines = lastError.split('\n');
  const stderrAt = lines.indexOf('stderr (last lines):');
  const own = stderrAt >= 0 ? lines.slice(stderrAt + 1).filter((l) => l.trim()).at(-1) : undefined;
  return own ? `${lines[0]}: ${own.trim()}` : lines[0]!;
}
