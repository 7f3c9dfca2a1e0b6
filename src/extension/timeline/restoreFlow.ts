import path from 'node:path';
import * as vscode from 'vscode';
import { plural, type RestorePreview } from '../../core';
import type { BuildController } from '../buildController';
import { showBuildError } from '../notifications';
import { checkpointUri, currentUri } from './checkpointContent';

export interface RestoreRequest {
  checkpoint: string;
  /** Also rewind the build's task state, so Resume continues from the checkpoint. */
  withState: boolean;
  /** false skips the question after the preview (tests, keybindings that mean it). */
  confirm?: boolean;
}

/**
 * Restore Files to Here (and Restore Files and Task State): the preview of what would change
 * first, then the user's yes, then the core's rollback. Undoable through its before-rollback-N.
 */
export async function restoreFromTimeline(controller: BuildController, log: vscode.LogOutputChannel, request: RestoreRequest): Promise<void> {
  if (controller.isRunning) {
    void vscode.window.showWarningMessage('Munero: cancel the running build before restoring a checkpoint.');
    return;
  }
  const { checkpoint, withState } = request;
  const manager = controller.manager;
  try {
    const preview = manager.previewRestore(checkpoint);
    if (preview.files.length === 0 && !withState) {
      void vscode.window.showInformationMessage(`Munero: the files are already as at "${checkpoint}"${keptNote(preview)}.`);
      return;
    }
    if (preview.files.length) await showPreview(manager.workspaceRoot, preview);
    if (request.confirm !== false && !(await confirmed(preview, withState))) return;
    const result = manager.rollback(checkpoint, { withState });
    controller.live.invalidate();
    log.info(`Restored ${plural(result.restored.length, 'file')} to ${checkpoint}${withState ? ' with the task state' : ''}: ${result.restored.join(', ')}`);
    for (const kept of result.kept) log.warn(`Kept ${kept.path}: ${kept.reason}`);
    const rewound = result.rewound ? ` Task state rewound to iteration ${result.rewound.iteration}${result.rewound.reopened.length ? ` (${result.rewound.reopened.join(', ')} reopened)` : ''}: Resume continues from here.` : '';
    const undo = result.undoCheckpoint ? ` Undo: restore "${result.undoCheckpoint}".` : '';
    void vscode.window.showInformationMessage(`Munero: restored ${plural(result.restored.length, 'file')} to "${checkpoint}".${keptNote(preview)}${rewound}${undo}`);
  } catch (err) {
    showBuildError(err, log, controller.diagnostics);
  }
}

/** All the files in VS Code's multi-file diff editor (now ↔ after the restore); one diff at a time from a pick where that is missing. */
async function showPreview(workspaceRoot: string, preview: RestorePreview): Promise<void> {
  const title = `Restore to ${preview.checkpoint} (preview)`;
  const resources = preview.files.map((f) => [vscode.Uri.file(path.join(workspaceRoot, f.path)), currentUri(workspaceRoot, f.path), checkpointUri(preview.checkpoint, f.path)] as const);
  const commands = await vscode.commands.getCommands(true);
  if (commands.includes('vscode.changes')) {
    await vscode.commands.executeCommand('vscode.changes', title, resources);
    return;
  }
  const pick = await vscode.window.showQuickPick(
    preview.files.map((f, i) => ({ label: f.path, description: f.change, index: i })),
    { title, placeHolder: 'Pick a file to see its diff; Escape when done' },
  );
  if (pick) await vscode.commands.executeCommand('vscode.diff', resources[pick.index][1], resources[pick.index][2], `${pick.label} (now ↔ ${preview.checkpoint})`);
}

async function confirmed(preview: RestorePreview, withState: boolean): Promise<boolean> {
  const what = withState
    ? `Restore ${plural(preview.files.length, 'file')} to "${preview.checkpoint}" and rewind the build's task state to it (tasks after it run again when you resume)?`
    : `Restore ${plural(preview.files.length, 'file')} to "${preview.checkpoint}"?`;
  const answer = await vscode.window.showWarningMessage(`${what}${keptNote(preview)} It can be undone.`, { modal: true }, 'Restore');
  return answer === 'Restore';
}

function keptNote(preview: RestorePreview): string {
  return preview.kept.length ? ` Kept as you changed them: ${preview.kept.map((k) => k.path).join(', ')}.` : '';
}
