import * as vscode from 'vscode';
import { plural } from '../../core';
import type { BuildController } from '../buildController';
import { CHECKPOINT_SCHEME, CheckpointContentProvider, openCheckpointDiff } from './checkpointContent';
import { restoreFromTimeline } from './restoreFlow';
import type { TimelineNode } from './timelineTree';

/** A checkpoint node from the tree, or `{ checkpoint, confirm }` from a test or a keybinding. */
type RestoreArg = TimelineNode | { checkpoint: string; confirm?: boolean } | undefined;

/** The Timeline's commands: a file's diff with now, and the two kinds of restore. */
export function registerTimeline(controller: BuildController, log: vscode.LogOutputChannel): vscode.Disposable[] {
  const restore = (withState: boolean) => async (arg: RestoreArg) => {
    const checkpoint = checkpointOf(arg) ?? (await pickCheckpoint(controller));
    if (!checkpoint) return;
    const confirm = arg && 'confirm' in arg ? arg.confirm : undefined;
    await restoreFromTimeline(controller, log, { checkpoint, withState, confirm });
  };
  return [
    vscode.workspace.registerTextDocumentContentProvider(CHECKPOINT_SCHEME, new CheckpointContentProvider(controller.manager)),
    vscode.commands.registerCommand('munero.openCheckpointDiff', (checkpoint: string, rel: string) => openCheckpointDiff(controller.manager.workspaceRoot, checkpoint, rel)),
    vscode.commands.registerCommand('munero.restoreFilesToHere', restore(false)),
    vscode.commands.registerCommand('munero.restoreFilesAndTaskState', restore(true)),
  ];
}

function checkpointOf(arg: RestoreArg): string | undefined {
  if (!arg) return undefined;
  if ('kind' in arg) return arg.kind === 'checkpoint' ? arg.entry.name : arg.kind === 'checkpointFile' ? arg.checkpoint : undefined;
  return arg.checkpoint;
}

async function pickCheckpoint(controller: BuildController): Promise<string | undefined> {
  const picks = controller.manager.timeline().map((e) => ({ label: e.name, description: `${new Date(e.at).toLocaleTimeString()} · ${plural(e.files.length, 'file')}` }));
  if (!picks.length) {
    void vscode.window.showInformationMessage('Munero: this build has no checkpoint yet.');
    return undefined;
  }
  return (await vscode.window.showQuickPick(picks, { title: 'Restore to which checkpoint?' }))?.label;
}
