import type { LineHunk } from './hunks';
import type { StoredReview } from './store';

/**
 * What the user's review made of an agent's proposed change, hunk by hunk, for the agent. When
 * nothing landed it says so plainly: a model not told otherwise edits against text that never
 * reached the file.
 */
export function describeLanding(review: StoredReview, hunks: LineHunk[], landed: boolean): string {
  const lines = hunks.map((h) => {
    const d = review.hunks[h.index - 1];
    const where = `${review.path}, hunk ${h.index} (your lines ${h.newStart}-${h.newStart + Math.max(0, h.newLines.length - 1)})`;
    if (d.status === 'accepted' && d.editedLines) {
      return `${where} accepted as edited by the user; it now reads:\n${d.editedLines.map((l) => `  ${l}`).join('\n') || '  (no lines)'}`;
    }
    if (d.status === 'accepted') return `${where} accepted`;
    if (d.status === 'stale') return `${where} not applied: ${d.reason}`;
    return `${where} rejected${d.reason ? `: ${d.reason}` : ''}`;
  });
  const allAsProposed = review.hunks.every((d) => d.status === 'accepted' && !d.editedLines);
  if (!landed) {
    return `the user reviewed it and the file was NOT modified: ${review.path} still holds what it held before your write.\n${lines.join('\n')}`;
  }
  if (allAsProposed) return `The user accepted every hunk.`;
  return `The user reviewed it; only what they accepted landed, so ${review.path} differs from what you wrote. Read it again before editing it.\n${lines.join('\n')}`;
}
