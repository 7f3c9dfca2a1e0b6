import { diffArrays } from 'diff';
import type { ReviewHunk } from '../../core';

/**
 * The user's version of a proposed hunk: its lines in `edited`, the proposal document as the user
 * left it, found between the nearest unchanged lines around the hunk in `proposed` (what the core
 * proposed). Undefined when the user did not touch the hunk.
 */
export function editedLinesOf(hunk: ReviewHunk, proposed: string, edited: string): string[] | undefined {
  if (proposed === edited) return undefined;
  const before = splitLines(proposed);
  const after = splitLines(edited);
  // Where each unchanged line of the proposal sits in the edited text.
  const moved = new Map<number, number>();
  let i = 0;
  let j = 0;
  for (const part of diffArrays(before, after)) {
    const n = part.count ?? part.value.length;
    if (part.added) j += n;
    else if (part.removed) i += n;
    else for (let k = 0; k < n; k++) moved.set(i++, j++);
  }
  const start = hunk.newStart - 1;
  const end = start + hunk.newLines.length;
  let above = start - 1;
  while (above >= 0 && !moved.has(above)) above--;
  let below = end;
  while (below < before.length && !moved.has(below)) below++;
  const from = above >= 0 ? moved.get(above)! + 1 : 0;
  const to = below < before.length ? moved.get(below)! : after.length;
  const lines = trimContext(after.slice(from, to), before.slice(above + 1, start), before.slice(end, below));
  return sameLines(lines, hunk.newLines) ? undefined : lines;
}

/** Lines without terminators; a final newline ends the last line rather than starting another. */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.length > 1 && lines.at(-1) === '') lines.pop();
  return lines;
}

function sameLines(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((line, k) => line === b[k]);
}

/** Drops the changed lines' neighbours that belong to other, untouched parts of the proposal. */
function trimContext(lines: string[], lead: string[], tail: string[]): string[] {
  let from = 0;
  while (from < lead.length && lines[from] === lead[from]) from++;
  let to = lines.length;
  let t = tail.length - 1;
  while (t >= 0 && to > from && lines[to - 1] === tail[t]) {
    to--;
    t--;
  }
  return lines.slice(from, to);
}
