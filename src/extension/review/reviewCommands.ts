import * as vscode from 'vscode';
import type { ReviewDecision, ReviewFile, ReviewHunk, ReviewTarget } from '../../core';
import { editedLinesOf } from './editedLines';
import { isOpen, type ReviewModel } from './reviewModel';
import { beforeUri } from './reviewUris';

/** What a command may be given: a workspace-relative path, a tree node, a file URI, a Source Control row. */
type FileArg = string | vscode.Uri | { path: string } | vscode.SourceControlResourceState | undefined;
/** Tests and keybindings pass `{ reason }` to skip the input box; `''` means no reason. */
type RejectOptions = { reason?: string };

export type DecideResult = { decided: string[]; stale: string[] } | undefined;

/** The review's commands: each finds what the user pointed at and forwards their decision to the core. */
export function registerReviewCommands(model: ReviewModel): vscode.Disposable {
  const decide = async (target: ReviewTarget, decision: ReviewDecision): Promise<DecideResult> => {
    try {
      const result = await model.source.decideReview(target, decision);
      if (result.stale.length) {
        void vscode.window.showWarningMessage(`Munero: ${result.stale.length} hunk${result.stale.length === 1 ? ' is' : 's are'} stale: the file changed since the proposal, so nothing was written. Reject ${result.stale.length === 1 ? 'it' : 'them'}, or let the agent propose again.`);
      }
      return result;
    } catch (err) {
      void vscode.window.showErrorMessage(`Munero: ${(err as Error).message}`);
      return undefined;
    } finally {
      model.refresh();
    }
  };

  const hunkOf = (id?: string): { file: ReviewFile; hunk: ReviewHunk } | undefined => {
    if (id) return model.hunk(id);
    const editor = vscode.window.activeTextEditor;
    const file = editor && model.fileAt(editor.document.uri);
    const hunk = file && model.hunkAtLine(file, editor.selection.active.line);
    return file && hunk ? { file, hunk } : undefined;
  };

  const fileOf = (arg: FileArg): ReviewFile | undefined => {
    if (typeof arg === 'string') return model.fileByPath(arg);
    if (arg instanceof vscode.Uri) return model.fileAt(arg) ?? model.proposalFor(arg);
    if (arg && 'resourceUri' in arg) return model.fileAt(arg.resourceUri) ?? model.proposalFor(arg.resourceUri);
    if (arg && typeof arg.path === 'string') return model.fileByPath(arg.path);
    const editor = vscode.window.activeTextEditor;
    return editor && (model.fileAt(editor.document.uri) ?? model.proposalFor(editor.document.uri));
  };

  /** The user's version of a proposed hunk, if they edited it in the proposal document. */
  const editedLines = async (file: ReviewFile, hunk: ReviewHunk): Promise<string[] | undefined> => {
    if (file.state !== 'proposed') return undefined;
    const doc = await vscode.workspace.openTextDocument(model.reviewUri(file));
    return editedLinesOf(hunk, file.after, doc.getText());
  };

  const askReason = async (what: string, options?: RejectOptions): Promise<string | undefined> => {
    if (options && 'reason' in options) return options.reason || undefined;
    const reason = await vscode.window.showInputBox({
      title: `Reject ${what}`,
      prompt: 'Why? The agent is told on its next attempt. Optional: press Enter or Escape to reject without a reason.',
      placeHolder: 'e.g. use the existing parser',
    });
    return reason?.trim() || undefined;
  };

  const noHunk = () => void vscode.window.showInformationMessage('Munero: no hunk awaiting review here.');

  const acceptFile = async (arg: FileArg): Promise<DecideResult> => {
    const file = fileOf(arg);
    if (!file) return noHunk();
    const edited = await Promise.all(file.hunks.filter((h) => h.status === 'pending').map(async (h) => ({ h, lines: await editedLines(file, h) })));
    if (!edited.some((e) => e.lines)) return decide({ path: file.path }, { accept: true });
    // The user edited some hunks of the proposal: each lands as they left it.
    const results = { decided: [] as string[], stale: [] as string[] };
    for (const { h, lines } of edited) {
      const r = await decide({ hunkId: h.id }, { accept: true, ...(lines ? { editedLines: lines } : {}) });
      results.decided.push(...(r?.decided ?? []));
      results.stale.push(...(r?.stale ?? []));
    }
    return results;
  };

  return vscode.Disposable.from(
    vscode.commands.registerCommand('munero.review.acceptHunk', async (id?: string) => {
      const found = hunkOf(id);
      if (!found) return noHunk();
      const lines = await editedLines(found.file, found.hunk);
      return decide({ hunkId: found.hunk.id }, { accept: true, ...(lines ? { editedLines: lines } : {}) });
    }),
    vscode.commands.registerCommand('munero.review.rejectHunk', async (id?: string, options?: RejectOptions) => {
      const found = hunkOf(id);
      if (!found) return noHunk();
      const reason = await askReason(`hunk ${found.hunk.index} of ${found.file.path}`, options);
      return decide({ hunkId: found.hunk.id }, { accept: false, reason });
    }),
    vscode.commands.registerCommand('munero.review.acceptFile', acceptFile),
    vscode.commands.registerCommand('munero.review.rejectFile', async (arg?: FileArg, options?: RejectOptions) => {
      const file = fileOf(arg);
      if (!file) return noHunk();
      const reason = await askReason(`every hunk of ${file.path}`, options);
      return decide({ path: file.path }, { accept: false, reason });
    }),
    vscode.commands.registerCommand('munero.review.acceptAll', async () => {
      // Accept All goes file by file so that any edited proposal lands as the user left it.
      const results = { decided: [] as string[], stale: [] as string[] };
      for (const file of model.pendingFiles) {
        const r = await acceptFile(file.path);
        results.decided.push(...(r?.decided ?? []));
        results.stale.push(...(r?.stale ?? []));
      }
      return results;
    }),
    vscode.commands.registerCommand('munero.review.rejectAll', async (options?: RejectOptions) => {
      if (!model.snapshot.pendingCount) return noHunk();
      const reason = await askReason(`${model.snapshot.pendingCount === 1 ? 'the hunk' : `all ${model.snapshot.pendingCount} hunks`} awaiting review`, options);
      return decide({ all: true }, { accept: false, reason });
    }),
    vscode.commands.registerCommand('munero.review.open', (arg?: FileArg) => openAtHunk(model, fileOf(arg))),
    vscode.commands.registerCommand('munero.review.nextHunk', () => nextHunk(model)),
    vscode.commands.registerCommand('munero.review.openDiff', async (arg?: FileArg) => {
      const file = fileOf(arg);
      if (!file) return noHunk();
      const right = file.state === 'proposed' ? 'proposed' : 'now';
      await vscode.commands.executeCommand('vscode.diff', beforeUri(file.path), model.reviewUri(file), `${file.path} (before ↔ ${right})`);
    }),
  );
}

/** Opens the file where it is reviewed (the proposal in `approve` mode), at `hunk` or its first open one. */
export async function openAtHunk(model: ReviewModel, file: ReviewFile | undefined, hunk?: ReviewHunk): Promise<vscode.TextEditor | undefined> {
  if (!file) return undefined;
  const target = hunk ?? file.hunks.find(isOpen);
  const line = Math.max(0, (target?.newStart ?? 1) - 1);
  const at = new vscode.Range(line, 0, line, 0);
  const editor = await vscode.window.showTextDocument(model.reviewUri(file), { selection: at, preview: false });
  editor.revealRange(at, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  return editor;
}

/** The next open hunk after the cursor, across files in the snapshot's order, wrapping around. */
async function nextHunk(model: ReviewModel): Promise<vscode.TextEditor | undefined> {
  const all = model.pendingFiles.flatMap((file) => file.hunks.filter(isOpen).map((hunk) => ({ file, hunk })));
  if (!all.length) return undefined;
  const editor = vscode.window.activeTextEditor;
  const here = editor && model.fileAt(editor.document.uri);
  const line = editor ? editor.selection.active.line : -1;
  const fileIndex = here ? model.pendingFiles.indexOf(here) : -1;
  const next =
    all.find(({ file, hunk }) => file === here && hunk.newStart - 1 > line) ??
    all.find(({ file }) => model.pendingFiles.indexOf(file) > fileIndex) ??
    all[0]!;
  return openAtHunk(model, next.file, next.hunk);
}
