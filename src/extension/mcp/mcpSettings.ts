import path from 'node:path';
import * as vscode from 'vscode';
import type { McpPermissionRequest, McpSettings } from '../../core';

/**
 * MCP settings for the core: the user's own `munero.mcpServers` (global scope only: a workspace's
 * settings must not add servers that start without asking), the bundled servers shipped in the
 * extension and started with the editor's own runtime, trust, how `ask` reaches the user, and the
 * values the user entered for `${input:id}`.
 */
export function mcpSettings(extensionPath: string, ask: (request: McpPermissionRequest) => Promise<boolean>, inputs: Record<string, string>): McpSettings {
  const config = vscode.workspace.getConfiguration('munero');
  const bundled = (name: string) => config.get<boolean>(`mcp.bundled.${name}`, true);
  return {
    userServers: config.inspect<Record<string, unknown>>('mcpServers')?.globalValue ?? {},
    trusted: vscode.workspace.isTrusted,
    bundled: {
      dir: path.join(extensionPath, 'dist', 'mcp'),
      runtime: process.execPath,
      enabled: { memory: bundled('memory'), 'sequential-thinking': bundled('sequentialThinking'), filesystem: bundled('filesystem') },
    },
    ask,
    inputs,
  };
}
