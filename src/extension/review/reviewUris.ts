import * as vscode from 'vscode';

/** A file's content before the agent's change (read-only), for the diff editor and quick diff. */
export const BEFORE_SCHEME = 'munero-before';
/** A change proposed in `approve` mode, editable in memory; never written to the workspace. */
export const PROPOSAL_SCHEME = 'munero-proposal';

export function beforeUri(relPath: string): vscode.Uri {
  return vscode.Uri.from({ scheme: BEFORE_SCHEME, path: `/${relPath}` });
}

export function proposalUri(relPath: string): vscode.Uri {
  return vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: `/${relPath}` });
}

/** The workspace-relative path a `munero-before:` or `munero-proposal:` URI stands for. */
export function relPathOf(uri: vscode.Uri): string {
  return uri.path.replace(/^\//, '');
}
