import * as vscode from 'vscode';
import { hunkHover } from './hunkHover';
import { isOpen, type ReviewModel } from './reviewModel';

const GHOST_MAX = 120;

/**
 * Paints each open hunk in every visible editor of its file, keyed by the document's URI: added
 * and changed lines highlighted, removed lines as ghost text after the lines that replaced them
 * (decorations only: nothing is ever inserted into the document, so nothing can be saved), and
 * the whole hunk as a diff on hover. Repaints when an editor becomes visible or the review changes.
 */
export class ReviewDecorations implements vscode.Disposable {
  private readonly added = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor('diffEditor.insertedLineBackground'),
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.addedForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Left,
  });
  private readonly stale = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor('diffEditor.diagonalFill'),
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.warningForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Left,
  });
  private readonly removed = vscode.window.createTextEditorDecorationType({
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.deletedForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Left,
    after: {
      color: new vscode.ThemeColor('editorGhostText.foreground'),
      backgroundColor: new vscode.ThemeColor('diffEditor.removedTextBackground'),
      textDecoration: 'line-through',
      margin: '0 0 0 2em',
    },
  });
  /** Pure deletions: a line above the spot where the removed lines were. */
  private readonly deletedHere = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    borderStyle: 'solid',
    borderWidth: '2px 0 0 0',
    borderColor: new vscode.ThemeColor('editorOverviewRuler.deletedForeground'),
  });
  private readonly disposables: vscode.Disposable[];
  /** When each URI was last painted, for the benchmark: performance.now(). */
  readonly paintedAt = new Map<string, number>();

  constructor(private readonly model: ReviewModel) {
    this.disposables = [
      this.added,
      this.stale,
      this.removed,
      this.deletedHere,
      model.onDidChange(() => this.paintAll()),
      vscode.window.onDidChangeVisibleTextEditors((editors) => editors.forEach((e) => this.paint(e))),
    ];
    this.paintAll();
  }

  paintAll(): void {
    for (const editor of vscode.window.visibleTextEditors) this.paint(editor);
  }

  private paint(editor: vscode.TextEditor): void {
    const file = this.model.fileAt(editor.document.uri);
    const hunks = file ? file.hunks.filter(isOpen) : [];
    const lineCount = editor.document.lineCount;
    const added: vscode.DecorationOptions[] = [];
    const stale: vscode.DecorationOptions[] = [];
    const removed: vscode.DecorationOptions[] = [];
    const deletedHere: vscode.DecorationOptions[] = [];
    for (const hunk of hunks) {
      const hoverMessage = hunkHover(hunk);
      const first = clamp(hunk.newStart - 1, lineCount);
      if (hunk.newLines.length === 0) {
        deletedHere.push({ range: new vscode.Range(first, 0, first, 0), hoverMessage });
        removed.push(ghost(first, removedSummary(hunk.oldLines)));
        continue;
      }
      const last = clamp(first + hunk.newLines.length - 1, lineCount);
      (hunk.status === 'stale' ? stale : added).push({ range: new vscode.Range(first, 0, last, 0), hoverMessage });
      // Each removed line beside the line that replaced it; any extra ones summed up on the last.
      const paired = Math.min(hunk.oldLines.length, hunk.newLines.length);
      for (let k = 0; k < paired; k++) removed.push(ghost(clamp(first + k, lineCount), hunk.oldLines[k]!));
      if (hunk.oldLines.length > paired) removed.push(ghost(last, removedSummary(hunk.oldLines.slice(paired))));
    }
    editor.setDecorations(this.added, added);
    editor.setDecorations(this.stale, stale);
    editor.setDecorations(this.removed, removed);
    editor.setDecorations(this.deletedHere, deletedHere);
    if (file) this.paintedAt.set(editor.document.uri.toString(), performance.now());
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** The hover sits on the hunk's whole-line decoration; the ghost text carries none of its own. */
function ghost(line: number, text: string): vscode.DecorationOptions {
  const shown = text.trim().length > GHOST_MAX ? `${text.trim().slice(0, GHOST_MAX)}…` : text.trim();
  return { range: lineRange(line), renderOptions: { after: { contentText: `− ${shown || '(blank line)'}` } } };
}

function removedSummary(lines: string[]): string {
  return lines.length === 1 ? lines[0]! : `${lines.length} lines removed: ${lines[0]!.trim()} …`;
}

function lineRange(line: number): vscode.Range {
  return new vscode.Range(line, Number.MAX_SAFE_INTEGER, line, Number.MAX_SAFE_INTEGER);
}

function clamp(line: number, lineCount: number): number {
  return Math.max(0, Math.min(line, lineCount - 1));
}

