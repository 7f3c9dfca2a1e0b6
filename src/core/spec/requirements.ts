import type { Heading, List, ListItem, Paragraph, Root, RootContent } from 'mdast';
import { splitBody, paragraphLines, type FoundCriterion } from './criteria';
import { BARE_ID, matchId, type IdMatch } from './ids';
import { blockText, clip, firstSentence, itemText, lineText, stripCheckbox } from './plainText';
import { sectionKind, type SectionKind } from './sections';
import type { DeltaNotice, SourceRange, SpecNote } from './types';

/** A requirement before ids are checked for duplicates and derived ids are assigned. */
export interface FoundRequirement {
  /** Undefined when no id was written: one is derived from `text`. */
  id?: string;
  title: string;
  text: string;
  criteria: FoundCriterion[];
  range: SourceRange;
  priority?: string;
  delta?: 'added' | 'modified';
}

export interface Found {
  requirements: FoundRequirement[];
  successCriteria: SpecNote[];
  openQuestions: SpecNote[];
  deltas: DeltaNotice[];
  /** Lines something was taken from, so id-like lines elsewhere can be pointed out. */
  taken: Set<number>;
}

const PRIORITY_IN_TITLE = /\s*(?:\(\s*priority\s*:?\s*([\w-]+)\s*\)|\[\s*(P\d)\s*\])\s*/i;
const PRIORITY_LINE = /^priority\s*:\s*([\w-]+)/i;
const SUCCESS_ID = /^SC-?\d/;
const RENAME = /^(from|to)\s*:\s*(.*)$/i;

interface Section {
  depth: number;
  kind: SectionKind;
}

interface Owner {
  heading: Heading;
  match: IdMatch;
  body: RootContent[];
  delta?: SectionKind;
}

/**
 * Finds requirements in document order, in four forms:
 * 1. a heading starting with an id; its body runs to the next heading of the same or higher level,
 *    or to the next heading with an id (so `### R1.1` under `## R1` is a requirement of its own);
 * 2. a list item starting with an id, anywhere outside a form-1 body; nested lists are acceptance criteria;
 * 3. a paragraph line starting with an id (`FR1: ...`, `**NFR2:** ...`); lines after it without one continue it;
 * 4. a list item without an id in a requirements section ("Requirements", "3. Functional Requirements", and
 *    their sub-headings other than ones like "Key Entities" or "Edge Cases").
 * `SC-` items are success criteria, items under "Open Questions" are questions, and OpenSpec's REMOVED and
 * RENAMED sections are notices: kept, never built. Only top-level blocks are scanned, so code fences,
 * quotes and tables never yield requirements.
 */
export function findRequirements(root: Root): Found {
  const found: Found = { requirements: [], successCriteria: [], openQuestions: [], deltas: [], taken: new Set() };
  const sections: Section[] = [];
  let owner: Owner | undefined;
  const flush = () => {
    if (owner) fromHeading(owner, found);
    owner = undefined;
  };

  for (const node of root.children) {
    if (node.type === 'heading') {
      const text = lineText(node);
      const match = matchId(idText(text), setApart(node.children));
      if (owner && !match && node.depth > owner.heading.depth) {
        owner.body.push(node);
        continue;
      }
      flush();
      while (sections.length && sections[sections.length - 1]!.depth >= node.depth) sections.pop();
      if (match && !SUCCESS_ID.test(match.id)) {
        owner = { heading: node, match, body: [], delta: deltaOf(sections) };
      } else {
        sections.push({ depth: node.depth, kind: sectionKind(text) });
      }
    } else if (owner) {
      owner.body.push(node);
    } else if (kindOf(sections) === 'references') {
      for (let line = startOf(node); line <= endOf(node); line++) found.taken.add(line);
    } else if (node.type === 'list') {
      collectItems(node, kindOf(sections), deltaOf(sections), found);
    } else if (node.type === 'paragraph') {
      collectLines(node, deltaOf(sections), found);
    }
  }
  flush();
  return found;
}

/** The innermost section that says something about its items; sub-headings named like topics inherit. */
function kindOf(sections: Section[]): SectionKind {
  for (let i = sections.length - 1; i >= 0; i--) if (sections[i]!.kind !== 'other') return sections[i]!.kind;
  return 'other';
}

function deltaOf(sections: Section[]): SectionKind | undefined {
  return sections.map((s) => s.kind).find((k) => k === 'added' || k === 'modified' || k === 'removed' || k === 'renamed');
}

function fromHeading({ heading, match, body, delta }: Owner, found: Found): void {
  const line = startOf(heading);
  found.taken.add(line);
  if (delta === 'removed' || delta === 'renamed') {
    found.deltas.push({ kind: delta, name: match.rest || match.id, line });
    return;
  }
  const { prose, criteria } = splitBody(body, false);
  const text = blockText(prose);
  const { title: rawTitle, priority } = withoutPriority(match.rest);
  // Kiro puts the user story first; its label makes a poor title.
  const title = clip(rawTitle) || firstSentence(text.replace(/^user story:\s*/i, '')) || match.id;
  // A trailing `---` separates this requirement from the next one; it is not part of it.
  let last = body.length - 1;
  while (last >= 0 && body[last]!.type === 'thematicBreak') last--;
  const end = last >= 0 ? body[last]! : heading;
  for (const c of criteria) found.taken.add(c.line);
  found.requirements.push({
    id: match.id,
    title,
    text: text || title,
    criteria,
    range: { startLine: line, endLine: endOf(end) },
    priority: priority ?? bodyPriority(text),
    delta: deltaKind(delta),
  });
}

function collectItems(list: List, kind: SectionKind, delta: SectionKind | undefined, found: Found): void {
  if (kind === 'renamed' || delta === 'renamed') return collectRenames(list, found);
  for (const item of list.children) {
    const lead = item.children[0]?.type === 'paragraph' ? (item.children[0] as Paragraph) : undefined;
    const leadText = lead ? stripCheckbox(lineText(lead)) : '';
    const match = lead ? matchId(idText(leadText), setApart(lead.children)) : undefined;
    const line = startOf(item);
    if (match && SUCCESS_ID.test(match.id)) {
      found.successCriteria.push({ id: match.id, text: match.rest, line });
      found.taken.add(line);
      continue;
    }
    if (!match && kind === 'success') {
      found.successCriteria.push({ text: itemText(item), line });
      continue;
    }
    if (!match && kind === 'questions') {
      found.openQuestions.push({ text: itemText(item), line });
      continue;
    }
    if (match && delta === 'removed') {
      found.deltas.push({ kind: 'removed', name: match.rest || match.id, line });
      found.taken.add(line);
      continue;
    }
    if (match || kind === 'requirements') {
      const requirement = fromItem(item, lead, match?.id, match ? match.rest : leadText, deltaKind(delta));
      if (requirement.text) {
        found.requirements.push(requirement);
        found.taken.add(line);
        for (const c of requirement.criteria) found.taken.add(c.line);
      }
      continue;
    }
    // An item that is not a requirement may group ones that are: `- Auth` / `  - R1: ...`.
    for (const child of item.children) if (child.type === 'list') collectItems(child, 'other', delta, found);
  }
}

function fromItem(item: ListItem, lead: Paragraph | undefined, id: string | undefined, leadText: string, delta: FoundRequirement['delta']): FoundRequirement {
  const { prose, criteria } = splitBody(lead ? item.children.slice(1) : item.children, true);
  const { title: first, priority } = withoutPriority(leadText);
  const text = [first, blockText(prose)].filter(Boolean).join('\n');
  return { id, title: firstSentence(text) || (id ?? ''), text, criteria, range: { startLine: startOf(item), endLine: endOf(item) }, priority, delta };
}

/** Paragraph lines that start with an id: `FR1: ...`, `**NFR2:** ...`; a line without one continues the one before. */
function collectLines(p: Paragraph, delta: SectionKind | undefined, found: Found): void {
  let current: FoundRequirement | undefined;
  for (const { text, line } of paragraphLines(p)) {
    const match = matchId(idText(text), startsSetApart(p, line));
    if (match && SUCCESS_ID.test(match.id)) {
      current = undefined;
      found.successCriteria.push({ id: match.id, text: match.rest, line });
      found.taken.add(line);
    } else if (match && !match.named) {
      const { title, priority } = withoutPriority(match.rest);
      current = { id: match.id, title: firstSentence(title) || match.id, text: title, criteria: [], range: { startLine: line, endLine: line }, priority, delta: deltaKind(delta) };
      found.requirements.push(current);
      found.taken.add(line);
    } else if (current && text) {
      current.text += '\n' + text;
      current.range.endLine = line;
    }
  }
}

function collectRenames(list: List, found: Found): void {
  let from: { name: string; line: number } | undefined;
  for (const item of list.children) {
    const m = RENAME.exec(itemText(item));
    if (!m) continue;
    const name = m[2]!.replace(/`/g, '').replace(/^#+\s*/, '').replace(/^requirement\s*:\s*/i, '').trim();
    const line = startOf(item);
    found.taken.add(line);
    if (m[1]!.toLowerCase() === 'from') from = { name, line };
    else if (from) {
      found.deltas.push({ kind: 'renamed', name: from.name, to: name, line: from.line });
      from = undefined;
    }
  }
}

function withoutPriority(text: string): { title: string; priority?: string } {
  const m = PRIORITY_IN_TITLE.exec(text);
  if (!m) return { title: text };
  return { title: (text.slice(0, m.index) + ' ' + text.slice(m.index + m[0].length)).trim(), priority: m[1] ?? m[2] };
}

function bodyPriority(text: string): string | undefined {
  for (const line of text.split('\n')) {
    const m = PRIORITY_LINE.exec(line.replace(/^[-*]\s+/, ''));
    if (m) return m[1];
  }
  return undefined;
}

function deltaKind(delta: SectionKind | undefined): FoundRequirement['delta'] {
  return delta === 'added' || delta === 'modified' ? delta : undefined;
}

/** An id may be written as code: `` `R1`: ... ``. */
export function idText(text: string): string {
  return text.replace(/^`([^`\s]+)`/, '$1');
}

/** Whether inline content starts with the id set apart in bold, emphasis or code: `**R1** The ...`. */
export function setApart(children: Paragraph['children']): boolean {
  let i = 0;
  if (children[0]?.type === 'text' && /^\[[ xX]\]\s*$/.test(children[0].value)) i = 1;
  const first = children[i];
  if (!first || !['strong', 'emphasis', 'inlineCode'].includes(first.type)) return false;
  return BARE_ID.test(idText(lineText(first)));
}

/** `setApart` for a later line of a paragraph: the first inline node starting on that line. */
function startsSetApart(p: Paragraph, line: number): boolean {
  const index = p.children.findIndex((c) => c.position?.start.line === line && c.type !== 'text');
  const first = p.children.find((c) => c.position?.start.line === line);
  if (index < 0 || !first) return false;
  const textFirst = first.type === 'text' && first.value.replace(/^\n/, '').trim() !== '';
  return !textFirst && setApart(p.children.slice(index));
}

function startOf(node: RootContent | ListItem): number {
  return node.position?.start.line ?? 0;
}

function endOf(node: RootContent | ListItem): number {
  return node.position?.end.line ?? 0;
}

