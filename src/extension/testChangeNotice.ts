import path from 'node:path';
import * as vscode from 'vscode';
import type { BuildManager, EventOf } from '../core';

/**
 * A changed, weakened or deleted test, or a changed test configuration: a non-modal notification naming
 * the file and the change, with Allow (the approval goes to the core, which decides what it
 * unblocks) and Show Diff (the file as the build started against it, beside the file now).
 */
export async function offerTestChangeApproval(manager: BuildManager, e: EventOf<'test.flagged'>, log: vscode.LogOutputChannel): Promise<void> {
  const what = e.kind === 'config' ? `changed the test configuration ${e.file}` : e.kind === 'deleted' ? `deleted the test ${e.file}` : e.kind === 'changed' ? `changed the test ${e.file}` : `weakened the test ${e.file}`;
  const message = `Munero: ${e.taskId ?? 'an agent'} ${what} (${e.change}). What it covers stays unverified until you allow it.`;
  while (true) {
    const choice = await vscode.window.showWarningMessage(message, 'Allow', 'Show Diff');
    if (choice === 'Show Diff') {
      await showDiff(manager, e);
      continue;
    }
    if (choice === 'Allow') allow(manager, e, log);
    return;
  }
}

function allow(manager: BuildManager, e: EventOf<'test.flagged'>, log: vscode.LogOutputChannel): void {
  try {
    const approved = manager.approveTestChanges([e.flagId]);
    if (approved.length === 0) return;
    log.info(`Approved the change to ${e.file} (${e.change}).`);
    if (!manager.running && manager.status()?.status === 'paused') {
      void vscode.window.showInformationMessage(`Munero: the change to ${e.file} is approved. Resume the build to verify what it covers.`, 'Resume').then((c) => {
        if (c) void vscode.commands.executeCommand('munero.resumeBuild');
      });
    }
  } catch (err) {
    void vscode.window.showErrorMessage(`Munero: ${(err as Error).message}`);
  }
}

async function showDiff(manager: BuildManager, e: EventOf<'test.flagged'>): Promise<void> {
  const change = manager.testChangeBefore(e.flagId);
  if (!change) return;
  const now = vscode.Uri.file(change.file);
  if (change.before === undefined) {
    await vscode.window.showTextDocument(now, { preview: true });
    return;
  }
  const before = await vscode.workspace.openTextDocument({ content: change.before, language: languageOf(change.file) });
  const title = `${path.basename(change.file)}: at the start ↔ ${e.kind === 'deleted' ? 'deleted' : 'now'}`;
  if (e.kind === 'deleted') await vscode.window.showTextDocument(before, { preview: true });
  else await vscode.commands.executeCommand('vscode.diff', before.uri, now, title);
}

function languageOf(file: string): string | undefined {
  const ext = path.extname(file);
  return { '.js': 'javascript', '.cjs': 'javascript', '.mjs': 'javascript', '.ts': 'typescript', '.tsx': 'typescriptreact', '.jsx': 'javascriptreact', '.py': 'python', '.go': 'go', '.json': 'json' }[ext];
}
