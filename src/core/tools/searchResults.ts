import { describeWhere, type SearchRequest } from './searchRequest';
import { compareStrings } from './walk';

/** One line of a file's results: its number, its (shortened) text, and whether it matched or is context. */
export type HitLine = [lineNumber: number, text: string, isMatch: boolean];

interface FileHits {
  rel: string;
  lines: HitLine[];
  /** Matching lines in the file, shown or not. */
  matches: number;
}

/** Room kept in the budget for the closing notes. */
const NOTES_CHARS = 900;
/** Lines are kept up to this many times the budget, so the budget can be shared fairly among files. */
const KEEP_FACTOR = 4;
/** Room for a file's "[… N more matching lines in this file]". */
const MORE_NOTE_CHARS = 48;
/** Files named in the list of those that could not be searched. */
const NAMED_SKIPS = 8;

/**
 * Collects a search's results as they stream in, keeping only what the answer can show (plus some
 * slack to share it fairly among files) and counting the rest, so the answer can say exactly what
 * was left out. The answer fits `budgetChars`; nothing is cut silently.
 */
export class SearchResults {
  private readonly files: FileHits[] = [];
  private readonly seen = new Set<string>();
  private keptChars = 0;
  private totalFiles = 0;
  private totalMatches = 0;
  private readonly skipped: Array<{ rel: string; reason: string }> = [];
  private stopNote: string | undefined;
  private readonly notes: string[] = [];
  private atLeast = '';

  constructor(
    private readonly req: SearchRequest,
    private readonly budgetChars: number,
  ) {}

  /** Whether lines are still worth decoding; once false, files are only counted. */
  get wantsLines(): boolean {
    return this.keptChars < this.budgetChars * KEEP_FACTOR && this.files.length < this.req.headLimit * KEEP_FACTOR;
  }

  /** A file with `matches` matching lines; `lines` may be empty once lines are no longer wanted. */
  addFile(rel: string, lines: HitLine[], matches: number): void {
    if (matches === 0 || this.seen.has(rel)) return;
    this.seen.add(rel);
    this.totalFiles += 1;
    this.totalMatches += matches;
    if (!this.wantsLines) return;
    this.files.push({ rel, lines, matches });
    this.keptChars += rel.length + lines.reduce((n, [, text]) => n + text.length + 8, 0);
  }

  /** Counting stopped before every file was counted: the totals are lower bounds, and the answer says so. */
  totalsAtLeast(): void {
    this.atLeast = 'at least ';
  }

  skip(rel: string, reason: string): void {
    this.skipped.push({ rel, reason });
  }

  /** The search ended early; `note` says why and what that means for the results. */
  stop(note: string): void {
    this.stopNote ??= note;
  }

  get stopped(): boolean {
    return this.stopNote !== undefined;
  }

  note(text: string): void {
    this.notes.push(text);
  }

  get fileCount(): number {
    return this.totalFiles;
  }

  render(): string {
    this.files.sort((a, b) => compareStrings(a.rel, b.rel));
    const notes = [...this.notes, ...this.skipNotes(), ...(this.stopNote ? [this.stopNote] : [])];
    if (this.totalFiles === 0) return [`No matches for /${this.req.pattern}/ in ${describeWhere(this.req)}.`, ...notes.map(bracket)].join('\n');
    const budget = Math.max(200, this.budgetChars - NOTES_CHARS);
    const { body, left } = this.req.mode === 'content' ? this.renderLines(budget) : this.renderList(budget);
    if (left) notes.unshift(left);
    return [body, ...notes.map(bracket)].join('\n');
  }

  /** Matching lines grouped by file; the budget is shared round-robin, one block of lines per file per round. */
  private renderLines(budget: number): { body: string; left?: string } {
    const blocks = this.files.map((f) => blocksOf(f.lines, this.req.context));
    const taken = this.files.map(() => 0);
    const shownLines = this.files.map(() => 0);
    let used = 0;
    let shownMatches = 0;
    for (let progress = true; progress; ) {
      progress = false;
      for (let i = 0; i < this.files.length; i++) {
        const block = blocks[i]![taken[i]!];
        if (!block) continue;
        // A file's first block also pays for its path and for the "… more matching lines" note it may need.
        const header = taken[i] === 0 ? this.files[i]!.rel.length + 1 + (this.files[i]!.matches > 1 ? MORE_NOTE_CHARS : 0) : 0;
        const cost = header + block.reduce((n, [num, text]) => n + text.length + String(num).length + 6, 0);
        const matchesInBlock = block.filter(([, , isMatch]) => isMatch).length;
        if (used + cost > budget || shownMatches + matchesInBlock > this.req.headLimit) continue;
        used += cost;
        shownMatches += matchesInBlock;
        taken[i]! += 1;
        shownLines[i] = shownLines[i]! + block.length;
        progress = true;
      }
    }
    const out: string[] = [];
    let shownFiles = 0;
    this.files.forEach((file, i) => {
      if (taken[i] === 0) return;
      shownFiles += 1;
      out.push(file.rel);
      const shown = blocks[i]!.slice(0, taken[i]);
      shown.forEach((block, b) => {
        const previous = shown[b - 1];
        if (previous && this.req.context > 0 && previous[previous.length - 1]![0] + 1 !== block[0]![0]) out.push('  --');
        for (const [num, text, isMatch] of block) out.push(`  ${num}${isMatch ? ':' : '-'} ${text}`);
      });
      const matchesShown = shown.flat().filter(([, , m]) => m).length;
      if (matchesShown < file.matches) out.push(`  [… ${file.matches - matchesShown} more matching lines in this file]`);
    });
    if (shownMatches >= this.totalMatches && !this.atLeast) return { body: out.join('\n') };
    const { atLeast } = this;
    const left =
      `Shown: ${shownMatches} of ${atLeast}${this.totalMatches} matching lines, from ${shownFiles} of ${atLeast}${this.totalFiles} files` +
      `${shownFiles < this.totalFiles ? ` (${atLeast}${this.totalFiles - shownFiles} files with matches not shown at all)` : ''}. ${this.narrowing()}`;
    return { body: out.join('\n'), left };
  }

  /** File names (files_with_matches) or `path: count` lines (count). */
  private renderList(budget: number): { body: string; left?: string } {
    const counting = this.req.mode === 'count';
    const out: string[] = [];
    let used = 0;
    for (const file of this.files) {
      const line = counting ? `${file.rel}: ${file.matches}` : file.rel;
      if (used + line.length + 1 > budget || out.length >= this.req.headLimit) break;
      out.push(line);
      used += line.length + 1;
    }
    const total = counting ? `Total: ${this.totalMatches} matching lines in ${this.totalFiles} files.` : undefined;
    if (out.length >= this.totalFiles) return { body: total ? `${out.join('\n')}\n${total}` : out.join('\n') };
    const left = `Shown: ${out.length} of ${this.totalFiles} files with matches${total ? `; ${total}` : '.'} ${this.narrowing()}`;
    return { body: out.join('\n'), left };
  }

  private narrowing(): string {
    const overview = this.req.mode === 'content' ? '; or output_mode "files_with_matches" or "count" for an overview' : '';
    return `Narrow the search with a more specific pattern, a path, a glob (e.g. "*.ts") or a type${overview}.`;
  }

  private skipNotes(): string[] {
    if (this.skipped.length === 0) return [];
    const named = this.skipped.slice(0, NAMED_SKIPS).map((s) => `${s.rel} (${s.reason})`).join(', ');
    const more = this.skipped.length > NAMED_SKIPS ? ` and ${this.skipped.length - NAMED_SKIPS} more` : '';
    return [`Not searched: ${named}${more}.`];
  }
}

function bracket(note: string): string {
  return `[${note}]`;
}

/**
 * The units the budget is shared in: each matching line alone, or with context, a run of
 * consecutive lines (a match with its context), split when long so one run cannot take it all.
 */
function blocksOf(lines: HitLine[], context: number): HitLine[][] {
  if (context === 0) return lines.map((line) => [line]);
  const longest = 4 * (2 * context + 1);
  const blocks: HitLine[][] = [];
  for (const line of lines) {
    const current = blocks[blocks.length - 1];
    const adjacent = current && current[current.length - 1]![0] + 1 === line[0];
    if (adjacent && current.length < longest) current.push(line);
    else blocks.push([line]);
  }
  return blocks;
}
