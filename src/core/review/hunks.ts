import { applyPatch, diffLines, structuredPatch } from 'diff';

/**
 * A hunk as the engine works with it: lines keep their terminators, so composing hunks back
 * into a file is byte-exact (a missing final newline, CRLF). Adapters see them stripped.
 */
export interface LineHunk {
  /** 1-based position within its change. */
  index: number;
  /** 1-based line of `before` where the hunk starts (for a pure insertion: the line it goes before). */
  oldStart: number;
  oldLines: string[];
  /** 1-based line of `after` where the hunk's new lines start. */
  newStart: number;
  newLines: string[];
}

/** What a hunk contributes when a file is composed: its old lines, its new lines, or the user's own. */
export type HunkChoice = 'old' | 'new' | { lines: string[] };

const LINE = /[^\n]*\n|[^\n]+$/g;

export function splitLines(text: string): string[] {
  return text.match(LINE) ?? [];
}

export function stripTerminator(line: string): string {
  return line.replace(/\r?\n$/, '');
}

/** The change between two versions of a file, as hunks with no context lines. */
export function computeHunks(before: string, after: string): LineHunk[] {
  const hunks: LineHunk[] = [];
  let oldLine = 1;
  let newLine = 1;
  let open: LineHunk | undefined;
  for (const part of diffLines(before, after)) {
    const lines = splitLines(part.value);
    if (!part.added && !part.removed) {
      open = undefined;
      oldLine += lines.length;
      newLine += lines.length;
      continue;
    }
    open ??= hunks[hunks.push({ index: hunks.length + 1, oldStart: oldLine, oldLines: [], newStart: newLine, newLines: [] }) - 1];
    if (part.removed) {
      open.oldLines.push(...lines);
      oldLine += lines.length;
    } else {
      open.newLines.push(...lines);
      newLine += lines.length;
    }
  }
  return hunks;
}

/**
 * `before` with each hunk replaced as chosen, and where each hunk's lines start in the result.
 * Hunks must be those computed from `before`, in order.
 */
export function compose(before: string, hunks: LineHunk[], choose: (h: LineHunk) => HunkChoice): { text: string; starts: Map<number, number> } {
  const base = splitLines(before);
  const out: string[] = [];
  const starts = new Map<number, number>();
  let pos = 0;
  for (const h of hunks) {
    out.push(...base.slice(pos, h.oldStart - 1));
    starts.set(h.index, out.length + 1);
    const choice = choose(h);
    out.push(...(choice === 'old' ? h.oldLines : choice === 'new' ? h.newLines : withTerminators(choice.lines, h, before)));
    pos = h.oldStart - 1 + h.oldLines.length;
  }
  out.push(...base.slice(pos));
  return { text: out.join(''), starts };
}

/** The user's lines (typed without terminators) ended like the file's lines, the last one like the hunk's. */
function withTerminators(lines: string[], h: LineHunk, before: string): string[] {
  const eol = before.includes('\r\n') || h.newLines.some((l) => l.endsWith('\r\n')) ? '\r\n' : '\n';
  const last = h.newLines.at(-1) ?? h.oldLines.at(-1);
  const openEnded = last !== undefined && !last.endsWith('\n');
  return lines.map((l, i) => (i === lines.length - 1 && openEnded ? l : l + eol));
}

/**
 * Carries the change `base → target` onto `current` (the file as it is now): the target itself
 * when nothing changed, the patch applied where its context still matches exactly, else undefined.
 * One line of context: an edit of the user's next to a hunk (not in it) does not make it stale.
 */
export function rebase(current: string, base: string, target: string): string | undefined {
  if (current === base) return target;
  const patch = structuredPatch('file', 'file', base, target, undefined, undefined, { context: 1 });
  const result = applyPatch(current, patch);
  return result === false ? undefined : result;
}

/** One hunk in unified form, for a terminal or an agent. */
export function unifiedHunk(h: { oldStart: number; oldLines: string[]; newStart: number; newLines: string[] }): string {
  const strip = (l: string) => stripTerminator(l);
  return [`@@ -${h.oldStart},${h.oldLines.length} +${h.newStart},${h.newLines.length} @@`, ...h.oldLines.map((l) => `-${strip(l)}`), ...h.newLines.map((l) => `+${strip(l)}`)].join('\n');
}
