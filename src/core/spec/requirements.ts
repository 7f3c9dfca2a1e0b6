import type { Heading, List, ListItem, Paragraph, Root, RootContent } from 'mdast';
import { matchId, type IdMatch } from './ids';
import { blockText, clip, firstSentence, isCheckboxItem, itemText, lineText, stripCheckbox } from './plainText';
import type { SourceRange } from './types';

/** A requirement before ids are checked for duplicates and derived ids are assigned. */
export interface FoundRequirement {
  /** Undefined when no id was written: one is derived from `text`. */
  id?: string;
  title: string;
  text: string;
  acceptance: string[];
  range: SourceRange;
}

const REQUIREMENTS_HEADING = /^(?:(?:functional|non-functional|nonfunctional)\s+)?requirements\s*(?:\(.*\))?\s*:?$/i;
const ACCEPTANCE_LABEL = /^acceptance(?:\s+(?:criteria|criterion|scenarios?|tests?|conditions?))?\s*(?::\s*(.*))?$/i;
const BARE_ID = /^[A-Z]{1,5}-?\d+(?:\.\d+)?:?$/;

/**
 * Finds requirements in document order, in three forms:
 * 1. a heading starting with an id; its body runs to the next heading of the same or higher level,
 *    or to the next heading with an id (so `### R1.1` under `## R1` is a requirement of its own);
 * 2. a list item starting with an id, anywhere outside a form-1 body; nested lists are acceptance criteria;
 * 3. a list item without an id whose nearest heading is "Requirements" / "Functional Requirements".
 * Only top-level blocks are scanned, so code fences, quotes and tables never yield requirements.
 */
export function findRequirements(root: Root): FoundRequirement[] {
  const found: FoundRequirement[] = [];
  let owner: { heading: Heading; match: IdMatch; body: RootContent[] } | undefined;
  let inRequirementsSection = false;

  for (const node of root.children) {
    if (node.type === 'heading') {
      const match = matchId(idText(lineText(node)), setApart(node.children));
      if (owner && !match && node.depth > owner.heading.depth) {
        owner.body.push(node);
        continue;
      }
      if (owner) found.push(fromHeading(owner.heading, owner.match, owner.body));
      owner = match ? { heading: node, match, body: [] } : undefined;
      inRequirementsSection = REQUIREMENTS_HEADING.test(lineText(node));
    } else if (owner) {
      owner.body.push(node);
    } else if (node.type === 'list') {
      collectItems(node, inRequirementsSection, found);
    }
  }
  if (owner) found.push(fromHeading(owner.heading, owner.match, owner.body));
  return found;
}

function fromHeading(heading: Heading, match: IdMatch, body: RootContent[]): FoundRequirement {
  const { prose, acceptance } = splitBody(body, false);
  const text = blockText(prose);
  // Kiro puts the user story first; its label makes a poor title.
  const title = clip(match.rest) || firstSentence(text.replace(/^user story:\s*/i, '')) || match.id;
  // A trailing `---` separates this requirement from the next one; it is not part of it.
  let last = body.length - 1;
  while (last >= 0 && body[last]!.type === 'thematicBreak') last--;
  const end = last >= 0 ? body[last]! : heading;
  return { id: match.id, title, text: text || title, acceptance, range: { startLine: startOf(heading), endLine: endOf(end) } };
}

function collectItems(list: List, inRequirementsSection: boolean, found: FoundRequirement[]): void {
  for (const item of list.children) {
    const lead = item.children[0]?.type === 'paragraph' ? (item.children[0] as Paragraph) : undefined;
    const leadText = lead ? stripCheckbox(lineText(lead)) : '';
    const match = lead ? matchId(idText(leadText), setApart(lead.children)) : undefined;
    if (match || inRequirementsSection) {
      const requirement = fromItem(item, lead, match?.id, match ? match.rest : leadText);
      if (requirement.text) found.push(requirement);
      continue;
    }
    // An item that is not a requirement may group ones that are: `- Auth` / `  - R1: ...`.
    for (const child of item.children) if (child.type === 'list') collectItems(child, false, found);
  }
}

function fromItem(item: ListItem, lead: Paragraph | undefined, id: string | undefined, leadText: string): FoundRequirement {
  const { prose, acceptance } = splitBody(lead ? item.children.slice(1) : item.children, true);
  const text = [leadText, blockText(prose)].filter(Boolean).join('\n');
  return { id, title: firstSentence(text) || (id ?? ''), text, acceptance, range: { startLine: startOf(item), endLine: endOf(item) } };
}

/**
 * Separates acceptance criteria from prose: lists after an "Acceptance criteria" paragraph or heading,
 * checkbox items, and (for list-item requirements) every nested list.
 */
function splitBody(nodes: RootContent[], listsAreAcceptance: boolean): { prose: RootContent[]; acceptance: string[] } {
  const prose: RootContent[] = [];
  const acceptance: string[] = [];
  let labelled = false;
  for (const node of nodes) {
    if (node.type === 'paragraph' || node.type === 'heading') {
      const label = ACCEPTANCE_LABEL.exec(lineText(node));
      if (label) {
        const inline = label[1]?.trim();
        if (inline) acceptance.push(inline);
        labelled = !inline;
        continue;
      }
      if (node.type === 'heading') labelled = false;
    } else if (node.type === 'list') {
      if (labelled || listsAreAcceptance) {
        acceptance.push(...node.children.map(itemText));
        labelled = false;
        continue;
      }
      const boxes = node.children.filter(isCheckboxItem);
      acceptance.push(...boxes.map(itemText));
      if (boxes.length === node.children.length) continue;
      if (boxes.length) {
        prose.push({ ...node, children: node.children.filter((i) => !isCheckboxItem(i)) });
        continue;
      }
    }
    prose.push(node);
  }
  return { prose, acceptance: acceptance.filter(Boolean) };
}

/** An id may be written as code: `` `R1`: ... ``. */
function idText(text: string): string {
  return text.replace(/^`([^`\s]+)`/, '$1');
}

/** Whether inline content starts with the id set apart in bold, emphasis or code: `**R1** The ...`. */
function setApart(children: Paragraph['children']): boolean {
  let i = 0;
  if (children[0]?.type === 'text' && /^\[[ xX]\]\s*$/.test(children[0].value)) i = 1;
  const first = children[i];
  if (!first || !['strong', 'emphasis', 'inlineCode'].includes(first.type)) return false;
  return BARE_ID.test(idText(lineText(first)));
}

function startOf(node: RootContent): number {
  return node.position?.start.line ?? 0;
}

function endOf(node: RootContent): number {
  return node.position?.end.line ?? 0;
}
