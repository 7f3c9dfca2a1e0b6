import path from 'node:path';
import * as vscode from 'vscode';
import type { ReviewFile } from '../../core';
import { isOpen, type ReviewModel } from './reviewModel';

export type ChangesNode = { kind: 'changes' } | { kind: 'changedFile'; path: string };

/** The Changes node and its files, for the Munero tree; nothing when no change awaits or was reviewed. */
export function changesRoots(model: ReviewModel | undefined): ChangesNode[] {
  return model?.files.length ? [{ kind: 'changes' }] : [];
}

export function changesChildren(model: ReviewModel, node: ChangesNode): ChangesNode[] {
  return node.kind === 'changes' ? model.files.map((f) => ({ kind: 'changedFile', path: f.path })) : [];
}

export function changesItem(model: ReviewModel, node: ChangesNode): vscode.TreeItem {
  if (node.kind === 'changes') {
    const { pendingCount, mode } = model.snapshot;
    const item = new vscode.TreeItem('Changes', vscode.TreeItemCollapsibleState.Expanded);
    item.description = pendingCount ? `${pendingCount} hunk${pendingCount === 1 ? '' : 's'} to review · ${mode}` : `all reviewed · ${mode}`;
    item.iconPath = new vscode.ThemeIcon('diff', pendingCount ? new vscode.ThemeColor('charts.yellow') : undefined);
    item.contextValue = pendingCount ? 'changes.pending' : 'changes';
    item.id = 'changes';
    return item;
  }
  const file = model.fileByPath(node.path);
  const item = new vscode.TreeItem(path.basename(node.path), vscode.TreeItemCollapsibleState.None);
  item.id = `changes:${node.path}`;
  item.resourceUri = model.fileUri(node.path);
  if (!file) return item;
  const open = file.hunks.filter(isOpen).length;
  const dir = path.dirname(node.path);
  item.description = [dir === '.' ? '' : dir, fileSummary(file)].filter(Boolean).join(' · ');
  item.tooltip = `${file.path}${file.taskId ? ` (task ${file.taskId})` : ''}: ${fileSummary(file)}${file.state === 'proposed' ? '\nProposed: not in the file until you accept.' : ''}`;
  item.contextValue = open ? 'changedFile.pending' : 'changedFile';
  item.command = { command: 'munero.review.open', title: 'Open at First Hunk', arguments: [file.path] };
  return item;
}

function fileSummary(file: ReviewFile): string {
  const count = (status: string) => file.hunks.filter((h) => h.status === status).length;
  const parts = [
    count('pending') && `${count('pending')} ${file.state === 'proposed' ? 'proposed' : 'to review'}`,
    count('stale') && `${count('stale')} stale`,
    count('accepted') && `${count('accepted')} accepted`,
    count('rejected') && `${count('rejected')} rejected`,
  ].filter(Boolean);
  return `${file.hunks.length} hunk${file.hunks.length === 1 ? '' : 's'}: ${parts.join(', ')}`;
}
