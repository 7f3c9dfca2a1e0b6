import * as vscode from 'vscode';
import { BeforeContentProvider } from './beforeContent';
import { ProposalFileSystem } from './proposalFileSystem';
import { ReviewCodeLens } from './reviewCodeLens';
import { registerReviewCommands } from './reviewCommands';
import { ReviewDecorations } from './reviewDecorations';
import { ReviewModel } from './reviewModel';
import { ReviewScm } from './reviewScm';
import type { ReviewSource } from './reviewSource';
import { ReviewStatusBar } from './reviewStatusBar';

/** Everything the editor shows of a review, over one model of the core's review state. */
export class InlineReview implements vscode.Disposable {
  readonly model: ReviewModel;
  readonly decorations: ReviewDecorations;
  private readonly disposables: vscode.Disposable[];

  constructor(source: ReviewSource, root: vscode.Uri) {
    this.model = new ReviewModel(source, root);
    this.decorations = new ReviewDecorations(this.model);
    this.disposables = [
      // The content providers first: the decorations and lenses refer to their URIs.
      BeforeContentProvider.register(this.model),
      ProposalFileSystem.register(this.model),
      ReviewCodeLens.register(this.model),
      registerReviewCommands(this.model),
      new ReviewStatusBar(this.model),
      new ReviewScm(this.model, root),
      this.decorations,
      this.model,
    ];
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
