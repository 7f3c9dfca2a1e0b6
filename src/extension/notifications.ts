import * as vscode from 'vscode';
import { BuildLockedError, MissingApiKeyError, SpecError, StateDamagedError, type BuildResult } from '../core';
import type { MuneroDiagnostics } from './diagnostics';

/** The notification that ends a build, with the action that fits its outcome. */
export async function announceResult(result: BuildResult, log: vscode.LogOutputChannel): Promise<void> {
  const verified = result.requirements.filter((r) => r.verdict === 'verified').length;
  const summary = `${verified}/${result.requirements.length} requirements verified, $${result.usage.costUsd.toFixed(4)}`;
  let choice: string | undefined;
  if (result.outcome === 'verified') {
    choice = await vscode.window.showInformationMessage(`Munero: build verified (${summary}).`, 'Show Report');
  } else if (result.apiRefused) {
    // Waiting will not help: the user must fix the key, the model, the limit or the endpoint first.
    const fix = result.apiRefused.status === 401 ? ['Set API Key'] : [];
    choice = await vscode.window.showErrorMessage(`Munero: build paused: ${result.reason}`, ...fix, 'Resume', 'Show Log');
    if (choice === 'Set API Key') await vscode.commands.executeCommand('munero.setApiKey');
  } else if (result.outcome === 'paused' || result.outcome === 'cancelled') {
    choice = await vscode.window.showWarningMessage(`Munero: build ${result.outcome}: ${result.reason}`, 'Resume', 'Show Report');
  } else if (result.outcome === 'unmet') {
    choice = await vscode.window.showWarningMessage(`Munero: build ended with requirements unmet (${summary}): ${result.reason}`, 'Show Report');
  } else {
    choice = await vscode.window.showErrorMessage(`Munero: build failed: ${result.reason}`, 'Show Report', 'Show Log');
  }
  if (choice === 'Show Report') await vscode.commands.executeCommand('munero.showReport');
  if (choice === 'Resume') await vscode.commands.executeCommand('munero.resumeBuild');
  if (choice === 'Show Log') log.show();
}

/** Another process holds the workspace's build lock: say who, and offer to follow its build here. */
export function offerWatch(message: string): void {
  void vscode.window.showWarningMessage(`Munero: ${message}`, 'Watch').then((c) => c && vscode.commands.executeCommand('munero.watchBuild'));
}

/** A build that could not start or stopped on an error: say what is wrong and offer the fix. */
export function showBuildError(err: unknown, log: vscode.LogOutputChannel, diagnostics: MuneroDiagnostics, spec?: vscode.Uri): void {
  const message = err instanceof Error ? err.message : String(err);
  log.error(message);
  if (err instanceof SpecError) {
    diagnostics.showSpecError(err);
    const line = (err.line ?? 1) - 1;
    void vscode.window.showErrorMessage(`Munero: ${message}`, 'Open Spec').then((c) => {
      if (c) void vscode.window.showTextDocument(vscode.Uri.file(err.path), { selection: new vscode.Range(line, 0, line, 0) });
    });
  } else if (err instanceof MissingApiKeyError) {
    void vscode.window.showErrorMessage(`Munero: ${message}`, 'Set API Key').then((c) => c && vscode.commands.executeCommand('munero.setApiKey'));
  } else if (err instanceof StateDamagedError) {
    void vscode.window.showErrorMessage(`Munero: ${message}`, 'Open State Folder').then((c) => c && vscode.commands.executeCommand('munero.openStateFolder'));
  } else if (err instanceof BuildLockedError) {
    offerWatch(message);
  } else {
    void vscode.window.showErrorMessage(`Munero: ${message}`, ...(spec ? ['Open Spec'] : []), 'Show Log').then((c) => {
      if (c === 'Open Spec' && spec) void vscode.window.showTextDocument(spec);
      if (c === 'Show Log') log.show();
    });
  }
}
