import * as vscode from 'vscode';
import type { ReviewModel } from './reviewModel';

/** "N to review" while hunks await a decision; a click goes to the next one. Also sets the context key. */
export class ReviewStatusBar implements vscode.Disposable {
  readonly item = vscode.window.createStatusBarItem('munero.review', vscode.StatusBarAlignment.Left, 49);
  private readonly listener: vscode.Disposable;

  constructor(private readonly model: ReviewModel) {
    this.item.name = 'Munero Review';
    this.item.command = 'munero.review.nextHunk';
    this.listener = model.onDidChange(() => this.update());
    this.update();
  }

  private update(): void {
    const { pendingCount, mode } = this.model.snapshot;
    void vscode.commands.executeCommand('setContext', 'munero.reviewPending', pendingCount > 0);
    if (!pendingCount) {
      this.item.hide();
      return;
    }
    const files = this.model.pendingFiles.length;
    const waiting = mode === 'approve' ? 'not applied until you accept' : 'applied, awaiting keep or undo';
    this.item.text = `$(diff) ${pendingCount} to review`;
    this.item.tooltip = `Munero: ${pendingCount} hunk${pendingCount === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'} (${waiting}).\nClick for the next one.`;
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    this.item.show();
  }

  dispose(): void {
    this.listener.dispose();
    this.item.dispose();
  }
}
