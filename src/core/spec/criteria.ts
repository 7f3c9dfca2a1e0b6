import type { List, ListItem, Paragraph, RootContent } from 'mdast';
import { holdsNoCriteria } from './sections';
import { inlineText, isCheckboxItem, itemText, lineText } from './plainText';

/** A criterion before its id is assigned. */
export interface FoundCriterion {
  text: string;
  line: number;
  /** The `M` of a criterion written `N.M`. */
  number?: string;
}

const ACCEPTANCE_LABEL = /^acceptance(?:\s+(?:criteria|criterion|scenarios?|tests?|conditions?))?\s*(?::\s*(.*))?$/i;
const SCENARIO_HEADING = /^scenario(?:\s+outline)?(?:\s+\d+)?\s*[:.-]?\s*(.*)$/i;
const NUMBERED = /^(\d+)\.(\d+)\.?\s+(.*)$/;
const GIVEN = /^(?:\d+(?:\.\d+)*[.)]?\s+)?given\b/i;
const SCENARIO_STEP = /^(?:\d+(?:\.\d+)*[.)]?\s+)?(?:given|when|then|and|but)\b/i;
const EARS = /^(?:when|if|while|where)\b.*\b(?:then|shall)\b/i;

/**
 * Separates acceptance criteria from prose in a requirement's body. Criteria are: lists after an
 * "Acceptance criteria" label (every list up to the next heading or prose paragraph, bold group
 * labels in between), checkbox items, lists whose items are all Given/When/Then or EARS sentences,
 * `N.M` numbered lines, Given/When/Then paragraphs, and one per OpenSpec `#### Scenario:` block.
 * For list-item requirements (`listsAreAcceptance`) every nested list is criteria.
 */
export function splitBody(nodes: RootContent[], listsAreAcceptance: boolean): { prose: RootContent[]; criteria: FoundCriterion[] } {
  const prose: RootContent[] = [];
  const criteria: FoundCriterion[] = [];
  let labelled = false;
  let scenario: { name: string; line: number; steps: string[] } | undefined;
  let quiet = false;
  const endScenario = () => {
    if (scenario) criteria.push({ text: [scenario.name, scenario.steps.join(' ')].filter(Boolean).join(': '), line: scenario.line });
    scenario = undefined;
  };

  for (const node of nodes) {
    if (node.type === 'heading') {
      endScenario();
      const text = lineText(node);
      const named = SCENARIO_HEADING.exec(text);
      if (named) {
        scenario = { name: named[1]!.trim(), line: lineOf(node), steps: [] };
        continue;
      }
      labelled = ACCEPTANCE_LABEL.test(text);
      quiet = !labelled && holdsNoCriteria(text);
      if (labelled) continue;
      prose.push(node);
      continue;
    }
    if (scenario) {
      if (node.type === 'list') scenario.steps.push(...node.children.map((i) => itemText(i).replace(/\n\s*/g, ' ')));
      else if (node.type === 'paragraph') scenario.steps.push(lineText(node));
      continue;
    }
    if (node.type === 'paragraph') {
      const label = ACCEPTANCE_LABEL.exec(lineText(node));
      if (label) {
        const inline = label[1]?.trim();
        if (inline) criteria.push({ text: inline, line: lineOf(node) });
        labelled = !inline;
        continue;
      }
      const fromLines = paragraphCriteria(node);
      if (fromLines) {
        criteria.push(...fromLines);
        continue;
      }
      if (labelled && isGroupLabel(node)) continue;
      labelled = false;
      prose.push(node);
      continue;
    }
    if (node.type === 'list' && !quiet) {
      if (labelled || listsAreAcceptance || node.children.every(isScenarioItem)) {
        criteria.push(...node.children.map(itemCriterion));
        continue;
      }
      const boxes = node.children.filter(isCheckboxItem);
      criteria.push(...boxes.map(itemCriterion));
      if (boxes.length === node.children.length) continue;
      if (boxes.length) {
        prose.push({ ...node, children: node.children.filter((i) => !isCheckboxItem(i)) } as List);
        continue;
      }
    }
    prose.push(node);
  }
  endScenario();
  return { prose, criteria: criteria.filter((c) => c.text) };
}

/** The lines of a paragraph, each with its file line (soft breaks kept). */
export function paragraphLines(p: Paragraph): { text: string; line: number }[] {
  const start = lineOf(p);
  return inlineText(p)
    .split('\n')
    .map((text, i) => ({ text: text.trim(), line: start + i }));
}

/** A paragraph of `N.M` lines or of Given/When/Then scenarios, as criteria; undefined for prose. */
function paragraphCriteria(p: Paragraph): FoundCriterion[] | undefined {
  const lines = paragraphLines(p).filter((l) => l.text);
  if (lines.length === 0) return undefined;
  if (NUMBERED.test(lines[0]!.text)) {
    const out: FoundCriterion[] = [];
    for (const l of lines) {
      const m = NUMBERED.exec(l.text);
      if (m) out.push({ text: m[3]!.trim(), line: l.line, number: m[2] });
      else out[out.length - 1]!.text += ' ' + l.text;
    }
    return out;
  }
  if (GIVEN.test(lines[0]!.text) || (EARS.test(lines[0]!.text) && lines.every((l) => SCENARIO_STEP.test(l.text) || EARS.test(l.text)))) {
    const out: FoundCriterion[] = [];
    for (const l of lines) {
      if (out.length === 0 || GIVEN.test(l.text)) out.push({ text: l.text, line: l.line });
      else out[out.length - 1]!.text += ' ' + l.text;
    }
    return out;
  }
  return undefined;
}

function itemCriterion(item: ListItem): FoundCriterion {
  const text = itemText(item);
  const numbered = NUMBERED.exec(text);
  if (numbered) return { text: numbered[3]!.trim(), line: lineOf(item), number: numbered[2] };
  return { text, line: lineOf(item) };
}

function isScenarioItem(item: ListItem): boolean {
  const text = itemText(item);
  return GIVEN.test(text) || EARS.test(text);
}

/** `**Happy path**` or `Errors:` between lists of one acceptance block. */
function isGroupLabel(p: Paragraph): boolean {
  const text = lineText(p);
  if (text.length > 80) return false;
  return (p.children.length === 1 && p.children[0]!.type === 'strong') || /:$/.test(text);
}

function lineOf(node: RootContent | ListItem): number {
  return node.position?.start.line ?? 0;
}
