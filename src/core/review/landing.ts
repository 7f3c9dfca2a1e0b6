import { compose, rebase, type HunkChoice, type LineHunk } from './hunks';
import type { StoredHunk } from './store';

/**
 * What lands for an approved proposal: `before` plus the accepted hunks (as the user edited
 * them), carried onto the file as it is now. A hunk that no longer applies cleanly is stale
 * and left out; nothing the file gained since the proposal is overwritten.
 * `current` undefined: the file is absent now; `before` null: it was absent at the proposal.
 */
export function landApproved(before: string | null, hunks: LineHunk[], decided: StoredHunk[], current: string | undefined): { text: string | null; stale: number[] } {
  const accepted = hunks.filter((h) => decided[h.index - 1].status === 'accepted');
  if (accepted.length === 0) return { text: null, stale: [] };
  const existedThen = before !== null;
  if (existedThen !== (current !== undefined)) return { text: null, stale: accepted.map((h) => h.index) };
  const base = before ?? '';
  const now = current ?? '';
  const only = (chosen: LineHunk[]) => compose(base, hunks, (h) => (chosen.includes(h) ? acceptedChoice(decided[h.index - 1]) : 'old')).text;
  const whole = rebase(now, base, only(accepted));
  if (whole !== undefined) return { text: whole, stale: [] };
  // One by one, so the hunks that still fit land and only the rest go stale.
  let text = now;
  const stale: number[] = [];
  for (const h of accepted) {
    const next = rebase(text, base, only([h]));
    if (next === undefined) stale.push(h.index);
    else text = next;
  }
  return { text: stale.length === accepted.length ? null : text, stale };
}

function acceptedChoice(d: StoredHunk): HunkChoice {
  return d.editedLines ? { lines: d.editedLines } : 'new';
}

/**
 * The file with one applied hunk undone (review mode): its old lines put back where its new lines
 * are now. Undefined when the user changed the file there since (the hunk is stale).
 */
export function undoHunk(before: string, hunks: LineHunk[], decided: StoredHunk[], index: number, current: string): string | undefined {
  const onDisk = (h: LineHunk): HunkChoice => (decided[h.index - 1].status === 'rejected' ? 'old' : 'new');
  const expected = compose(before, hunks, onDisk).text;
  const target = compose(before, hunks, (h) => (h.index === index ? 'old' : onDisk(h))).text;
  return rebase(current, expected, target);
}
