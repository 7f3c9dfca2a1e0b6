import * as vscode from 'vscode';
import { isOpen, type ReviewModel } from './reviewModel';
import { beforeUri } from './reviewUris';

/**
 * A Source Control entry "Munero Review" with one group, the files awaiting review, so they sit
 * where users look for pending changes. Its quick diff compares a file with its content before the
 * agent's change; VS Code shows it beside Git's (the gutter's quick-diff picker chooses between them).
 */
export class ReviewScm implements vscode.Disposable {
  private readonly scm: vscode.SourceControl;
  private readonly group: vscode.SourceControlResourceGroup;
  private readonly listener: vscode.Disposable;

  constructor(private readonly model: ReviewModel, root: vscode.Uri) {
    this.scm = vscode.scm.createSourceControl('munero', 'Munero Review', root);
    this.scm.quickDiffProvider = {
      provideOriginalResource: (uri) => {
        const file = model.fileAt(uri);
        return file && file.state === 'applied' && file.hunks.some(isOpen) ? beforeUri(file.path) : undefined;
      },
    };
    this.scm.inputBox.visible = false;
    this.group = this.scm.createResourceGroup('awaiting', 'Awaiting Review');
    this.group.hideWhenEmpty = true;
    this.listener = model.onDidChange(() => this.update());
    this.update();
  }

  private update(): void {
    const files = this.model.pendingFiles;
    this.scm.count = this.model.snapshot.pendingCount;
    this.group.resourceStates = files.map((file) => {
      const open = file.hunks.filter(isOpen).length;
      return {
        resourceUri: this.model.fileUri(file.path),
        decorations: { tooltip: `${open} hunk${open === 1 ? '' : 's'} ${file.state === 'proposed' ? 'proposed' : 'awaiting review'}`, faded: false },
        command: { command: 'munero.review.open', title: 'Review', arguments: [file.path] },
      };
    });
  }

  dispose(): void {
    this.listener.dispose();
    this.scm.dispose();
  }
}
