// Helpers for the tests of the MCP Servers node: a user's .vscode/mcp.json naming the fixture
// servers, and reading the Munero tree as the user sees it.
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { BuildTreeProvider, Node } from '../../../src/extension/buildTree';
import type { MuneroApi } from '../../../src/extension/extension';

export const root = () => vscode.workspace.workspaceFolders![0].uri.fsPath;

export async function munero(): Promise<MuneroApi> {
  return vscode.extensions.getExtension<MuneroApi>('munero.munero')!.activate();
}

/**
 * Writes `.vscode/mcp.json` (VS Code's own shape, with a comment) naming the fixture servers
 * started with `node`: `notes` appends to `startedFile` each time it starts; `broken` exits at once;
 * `typo` is a wrong entry (`args` is not a list); `keyed` needs the value of `${input:notes-key}`.
 */
export function writeVscodeMcpJson(startedFile: string): string {
  const fixtures = path.join(vscode.extensions.getExtension('munero.munero')!.extensionPath, 'test', 'vscode', 'fixtures', 'mcp');
  const servers = {
    notes: { type: 'stdio', command: 'node', args: [path.join(fixtures, 'notesServer.mjs'), startedFile] },
    broken: { type: 'stdio', command: 'node', args: [path.join(fixtures, 'brokenServer.mjs')] },
    typo: { type: 'stdio', command: 'node', args: '--port 3' },
    keyed: { type: 'stdio', command: 'node', args: [path.join(fixtures, 'notesServer.mjs')], env: { NOTES_KEY: '${input:notes-key}' } },
  };
  const inputs = [{ type: 'promptString', id: 'notes-key', description: 'Notes API key', password: true }];
  const file = path.join(root(), '.vscode', 'mcp.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `// the user's own MCP servers\n${JSON.stringify({ inputs, servers }, null, 2)}\n`);
  return file;
}

/** Every node of the tree with its parent, depth first (what the user could expand). */
export function walk(tree: BuildTreeProvider, parent?: Node): { node: Node; parent?: Node }[] {
  return tree.getChildren(parent).flatMap((node) => [{ node, parent }, ...walk(tree, node)]);
}

/** The MCP server's row under the MCP Servers node, as the user sees it. */
export function serverRow(tree: BuildTreeProvider, name: string): { node: Node; item: vscode.TreeItem } | undefined {
  const servers = tree.getChildren().find((n) => n.kind === 'mcpServers');
  const node = servers && tree.getChildren(servers).find((n) => n.kind === 'mcpServer' && n.server.name === name);
  return node ? { node, item: tree.getTreeItem(node) } : undefined;
}
