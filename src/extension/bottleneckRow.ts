import * as vscode from 'vscode';
import type { Bottleneck } from '../core';

export interface BottleneckNode {
  kind: 'bottleneck';
  bottleneck: Bottleneck;
}

/** The build's costliest bottleneck as a tree row; what would help is in its tooltip. */
export function bottleneckItem(b: Bottleneck, buildId: string | undefined): vscode.TreeItem {
  const item = new vscode.TreeItem(`Bottleneck: ${b.message.replace(/`/g, '')}`, vscode.TreeItemCollapsibleState.None);
  item.iconPath = new vscode.ThemeIcon('flame', new vscode.ThemeColor('charts.orange'));
  item.tooltip = new vscode.MarkdownString(`**Where the time and money went:** ${b.message}\n\n**What would help:** ${b.advice}\n\nThe report and the Progress panel show the whole breakdown.`);
  item.command = { command: 'munero.showProgress', title: 'Show Progress' };
  item.contextValue = `bottleneck.${b.kind}`;
  item.id = `bottleneck:${buildId}`;
  return item;
}
