import * as vscode from 'vscode';
import { isOpen, type ReviewModel } from './reviewModel';
import { PROPOSAL_SCHEME } from './reviewUris';

/**
 * Over each open hunk: Accept · Reject · Accept File · Reject File · Diff (a stale hunk offers
 * only Reject and Diff). In `approve` mode the real file gets one lens at its top that opens the
 * proposal, since the change is not in it yet.
 */
export class ReviewCodeLens implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly listener: vscode.Disposable;
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly model: ReviewModel) {
    this.listener = model.onDidChange(() => this.changed.fire());
  }

  static register(model: ReviewModel): vscode.Disposable {
    const provider = new ReviewCodeLens(model);
    const selector: vscode.DocumentSelector = [{ scheme: 'file' }, { scheme: PROPOSAL_SCHEME }];
    return vscode.Disposable.from(provider, vscode.languages.registerCodeLensProvider(selector, provider));
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const file = this.model.fileAt(document.uri);
    if (!file) {
      const proposal = this.model.proposalFor(document.uri);
      if (!proposal || !proposal.hunks.some(isOpen)) return [];
      const n = proposal.hunks.filter(isOpen).length;
      const top = new vscode.Range(0, 0, 0, 0);
      return [new vscode.CodeLens(top, { title: `Munero proposes ${n} change${n === 1 ? '' : 's'} here, not applied yet: Review Proposal`, command: 'munero.review.open', arguments: [proposal.path] })];
    }
    const lenses: vscode.CodeLens[] = [];
    if (file.state === 'proposed') {
      // The tab is named like the file; say plainly that this is not the file yet.
      const title = `Proposal for ${file.path}${file.taskId ? ` (task ${file.taskId})` : ''}: not on disk until you accept`;
      lenses.push(new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), { title, command: 'munero.review.openDiff', arguments: [file.path], tooltip: 'Compare with the file as it is' }));
    }
    for (const hunk of file.hunks.filter(isOpen)) {
      const line = Math.max(0, Math.min(hunk.newStart - 1, document.lineCount - 1));
      const range = new vscode.Range(line, 0, line, 0);
      const lens = (title: string, command: string, arg: unknown, tooltip: string) => lenses.push(new vscode.CodeLens(range, { title, command, arguments: [arg], tooltip }));
      if (hunk.status === 'stale') lens(`⚠ Stale: ${hunk.reason ?? 'the file changed'}`, 'munero.review.openDiff', file.path, 'This hunk no longer applies; it can only be rejected');
      else lens('Accept', 'munero.review.acceptHunk', hunk.id, `Keep hunk ${hunk.index}`);
      lens('Reject', 'munero.review.rejectHunk', hunk.id, `Undo hunk ${hunk.index}, and tell the agent why`);
      lens('Accept File', 'munero.review.acceptFile', file.path, `Keep every hunk in ${file.path}`);
      lens('Reject File', 'munero.review.rejectFile', file.path, `Undo every hunk in ${file.path}`);
      lens('Diff', 'munero.review.openDiff', file.path, `Compare ${file.path} with its content before the change`);
    }
    return lenses;
  }

  dispose(): void {
    this.listener.dispose();
    this.changed.dispose();
  }
}
