import * as vscode from 'vscode';
import type { ReviewHunk } from '../../core';

const MAX_HOVER_LINES = 40;

/** The hunk as a small unified diff, with how to decide it; shown on hover over its lines. */
export function hunkHover(hunk: ReviewHunk): vscode.MarkdownString {
  const lines = [...hunk.oldLines.map((l) => `- ${l}`), ...hunk.newLines.map((l) => `+ ${l}`)];
  const shown = lines.length > MAX_HOVER_LINES ? [...lines.slice(0, MAX_HOVER_LINES), `… ${lines.length - MAX_HOVER_LINES} more lines`] : lines;
  const who = `${hunk.agentId}${hunk.taskId ? `, task ${hunk.taskId}` : ''}`;
  const status = hunk.status === 'stale' ? `**Stale** — ${hunk.reason ?? 'the file changed since the proposal'}. Reject it, or let the agent propose again.` : 'Awaiting review.';
  const md = new vscode.MarkdownString(`**Munero** hunk ${hunk.index} by ${who}. ${status}\n\n`);
  md.appendCodeblock(shown.join('\n'), 'diff');
  return md;
}
