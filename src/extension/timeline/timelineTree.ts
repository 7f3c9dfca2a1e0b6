import path from 'node:path';
import * as vscode from 'vscode';
import type { TimelineEntry } from '../../core';

export type TimelineNode = { kind: 'timeline' } | { kind: 'checkpoint'; entry: TimelineEntry } | { kind: 'checkpointFile'; checkpoint: string; path: string };

/** Where the tree reads the checkpoints from (the BuildManager). */
export interface TimelineSource {
  readonly workspaceRoot: string;
  timeline(): TimelineEntry[];
}

const KIND_ICONS: Record<TimelineEntry['kind'], string> = { start: 'debug-start', task: 'pass', iteration: 'milestone', rollback: 'discard' };

export function timelineChildren(source: TimelineSource, node: TimelineNode): TimelineNode[] {
  if (node.kind === 'timeline') return source.timeline().map((entry) => ({ kind: 'checkpoint', entry }));
  if (node.kind === 'checkpoint') return node.entry.files.map((file) => ({ kind: 'checkpointFile', checkpoint: node.entry.name, path: file }));
  return [];
}

export function timelineItem(node: TimelineNode, workspaceRoot: string, buildId: string | undefined): vscode.TreeItem {
  if (node.kind === 'timeline') {
    const item = new vscode.TreeItem('Timeline', vscode.TreeItemCollapsibleState.Collapsed);
    item.iconPath = new vscode.ThemeIcon('history');
    item.tooltip = 'Checkpoints of this build: right-click one to restore the files (or the files and the task state) to it.';
    item.id = `timeline:${buildId}`;
    return item;
  }
  if (node.kind === 'checkpoint') {
    const e = node.entry;
    const item = new vscode.TreeItem(e.name, e.files.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.description = [describeStep(e), new Date(e.at).toLocaleTimeString(), `${e.files.length} file${e.files.length === 1 ? '' : 's'}`].join(' · ');
    item.tooltip = new vscode.MarkdownString(`**${e.name}**: ${describeStep(e)}, ${new Date(e.at).toLocaleString()}\n\n${e.files.map((f) => `- \`${f}\``).join('\n') || 'no files'}`);
    item.iconPath = new vscode.ThemeIcon(KIND_ICONS[e.kind]);
    item.contextValue = `checkpoint.${e.kind}`;
    item.id = `checkpoint:${buildId}:${e.name}:${e.at}`;
    return item;
  }
  const item = new vscode.TreeItem(path.basename(node.path), vscode.TreeItemCollapsibleState.None);
  const dir = path.dirname(node.path);
  item.description = dir === '.' ? undefined : dir;
  item.resourceUri = vscode.Uri.file(path.join(workspaceRoot, node.path));
  item.tooltip = `${node.path}: click for its diff between ${node.checkpoint} and now`;
  item.command = { command: 'munero.openCheckpointDiff', title: 'Diff with Now', arguments: [node.checkpoint, node.path] };
  item.contextValue = 'checkpointFile';
  item.id = `checkpointFile:${buildId}:${node.checkpoint}:${node.path}`;
  return item;
}

function describeStep(e: TimelineEntry): string {
  switch (e.kind) {
    case 'start':
      return 'before the build';
    case 'task':
      return `task ${e.taskId} passed (attempt ${e.attempt ?? '?'})`;
    case 'iteration':
      return `after ${e.name.replace('iter-', 'iteration ')}`;
    case 'rollback':
      return `before restoring ${e.target ?? 'a checkpoint'} (undo)`;
  }
}
