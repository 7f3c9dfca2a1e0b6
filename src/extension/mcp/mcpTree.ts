import * as vscode from 'vscode';
import type { McpServerStatus } from '../../core';

export type McpNode = { kind: 'mcpServers' } | { kind: 'mcpServer'; server: McpServerStatus };

/** What the tree reads: the workspace's MCP servers as they are now. */
export interface McpSource {
  statuses(): McpServerStatus[];
}

const STATE_ICONS: Record<McpServerStatus['state'], [string, string?]> = {
  starting: ['loading~spin', 'charts.blue'],
  ready: ['pass', 'testing.iconPassed'],
  failed: ['error', 'testing.iconFailed'],
  stopped: ['circle-outline'],
};

export function mcpRoots(source: McpSource | undefined): McpNode[] {
  return source ? [{ kind: 'mcpServers' }] : [];
}

export function mcpChildren(source: McpSource, node: McpNode): McpNode[] {
  return node.kind === 'mcpServers' ? source.statuses().map((server) => ({ kind: 'mcpServer' as const, server })) : [];
}

export function mcpItem(source: McpSource, node: McpNode): vscode.TreeItem {
  if (node.kind === 'mcpServers') {
    const all = source.statuses();
    const item = new vscode.TreeItem('MCP Servers', vscode.TreeItemCollapsibleState.Collapsed);
    const failed = all.filter((s) => s.state === 'failed').length;
    item.description = `${all.filter((s) => s.state === 'ready').length}/${all.length} ready${failed ? ` · ${failed} failed` : ''}`;
    item.iconPath = new vscode.ThemeIcon('plug');
    item.id = 'mcpServers';
    return item;
  }
  const s = node.server;
  const item = new vscode.TreeItem(s.name, vscode.TreeItemCollapsibleState.None);
  const [id, color] = STATE_ICONS[s.state];
  item.iconPath = new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
  item.description = [s.state, s.state === 'ready' ? `${s.tools} tools` : '', s.source, s.lastError ? s.lastError.split('\n', 1)[0] : ''].filter(Boolean).join(' · ');
  item.tooltip = new vscode.MarkdownString(`**${s.name}** (${s.source}, ${s.transport}): ${s.state}, ${s.tools} tools${s.lastError ? `\n\n**Last error:**\n\n\`\`\`\n${s.lastError}\n\`\`\`` : ''}${s.logFile ? `\n\nLog: \`${s.logFile}\`` : ''}`);
  const blocked = s.state === 'stopped' && /allow it/.test(s.lastError ?? '');
  item.contextValue = blocked ? 'mcpServer.notAllowed' : `mcpServer.${s.state}`;
  item.id = `mcpServer:${s.name}`;
  return item;
}
