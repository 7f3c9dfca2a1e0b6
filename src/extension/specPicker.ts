import * as vscode from 'vscode';
import { specGlobs } from './settings';

/** True when a document matches the `munero.specFiles` globs. */
export function isSpec(document: vscode.TextDocument): boolean {
  if (document.languageId !== 'markdown') return false;
  return specGlobs().some((pattern) => vscode.languages.match({ pattern }, document) > 0);
}

/**
 * The spec to build: the file the command was invoked on, else the active markdown editor, else
 * the user's pick among spec files (any markdown file can be picked).
 */
export async function pickSpec(arg: unknown): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  // The spec server's Build lens passes the document's URI as a string.
  if (typeof arg === 'string' && arg.startsWith('file:')) return vscode.Uri.parse(arg);
  const active = vscode.window.activeTextEditor?.document;
  if (active?.languageId === 'markdown' && active.uri.scheme === 'file') return active.uri;
  const specs = (await Promise.all(specGlobs().map((g) => vscode.workspace.findFiles(g, '**/node_modules/**', 200)))).flat();
  const others = await vscode.workspace.findFiles('**/*.md', '**/node_modules/**', 500);
  const seen = new Set(specs.map((u) => u.toString()));
  const items = [
    ...specs.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), description: 'spec', uri })),
    ...others.filter((u) => !seen.has(u.toString())).map((uri) => ({ label: vscode.workspace.asRelativePath(uri), description: '', uri })),
  ];
  if (items.length === 0) {
    void vscode.window.showInformationMessage('Munero: no markdown files in this workspace. Write a spec (e.g. SPEC.md) with requirements first.');
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(items, { title: 'Munero: Build from Spec', placeHolder: 'Choose the spec to build' });
  return pick?.uri;
}
