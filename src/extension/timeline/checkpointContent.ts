import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { BuildManager } from '../../core';

export const CHECKPOINT_SCHEME = 'munero-checkpoint';
/** The query of a document that is empty: the side of a diff where the file does not exist. */
const ABSENT = '-absent-';

/** Read-only documents of a file as it was at a checkpoint: `munero-checkpoint:/<path>?<checkpoint>`. */
export class CheckpointContentProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly manager: BuildManager) {}

  provideTextDocumentContent(uri: vscode.Uri): string {
    if (uri.query === ABSENT) return '';
    const bytes = this.manager.contentAt(decodeURIComponent(uri.query), uri.path.slice(1));
    if (!bytes) return '';
    return bytes.subarray(0, 8000).includes(0) ? '(a binary file: not shown)' : bytes.toString('utf8');
  }
}

export function checkpointUri(checkpoint: string, rel: string): vscode.Uri {
  return vscode.Uri.from({ scheme: CHECKPOINT_SCHEME, path: `/${rel}`, query: encodeURIComponent(checkpoint) });
}

/** The file as it is now; an empty document when it does not exist. */
export function currentUri(workspaceRoot: string, rel: string): vscode.Uri {
  const abs = path.join(workspaceRoot, rel);
  return fs.existsSync(abs) ? vscode.Uri.file(abs) : vscode.Uri.from({ scheme: CHECKPOINT_SCHEME, path: `/${rel}`, query: ABSENT });
}

/** A diff of one file between a checkpoint and now. */
export async function openCheckpointDiff(workspaceRoot: string, checkpoint: string, rel: string): Promise<void> {
  await vscode.commands.executeCommand('vscode.diff', checkpointUri(checkpoint, rel), currentUri(workspaceRoot, rel), `${rel} (${checkpoint} ↔ now)`);
}
