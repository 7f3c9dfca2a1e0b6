import * as vscode from 'vscode';
import type { ReviewModel } from './reviewModel';
import { BEFORE_SCHEME, relPathOf } from './reviewUris';

/** Serves `munero-before:/path`: the file as it was before the agent's change (empty if it was new). */
export class BeforeContentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly listener: vscode.Disposable;

  constructor(private readonly model: ReviewModel) {
    this.listener = model.onDidChange(() => {
      for (const doc of vscode.workspace.textDocuments) if (doc.uri.scheme === BEFORE_SCHEME) this.changed.fire(doc.uri);
    });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.model.fileByPath(relPathOf(uri))?.before ?? '';
  }

  static register(model: ReviewModel): vscode.Disposable {
    const provider = new BeforeContentProvider(model);
    return vscode.Disposable.from(provider, vscode.workspace.registerTextDocumentContentProvider(BEFORE_SCHEME, provider));
  }

  dispose(): void {
    this.listener.dispose();
    this.changed.dispose();
  }
}
