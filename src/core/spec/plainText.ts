import type { List, ListItem, Nodes, RootContent } from 'mdast';

/** Text of inline content with markdown formatting removed, except backticks around code. */
export function inlineText(node: Nodes): string {
  switch (node.type) {
    case 'text':
      return node.value;
    case 'inlineCode':
      return '`' + node.value + '`';
    case 'break':
      return '\n';
    case 'image':
    case 'imageReference':
      return node.alt ?? '';
    case 'html':
      return '';
    default:
      return 'children' in node ? (node.children as Nodes[]).map(inlineText).join('') : '';
  }
}

/** Inline text with soft line breaks joined, as one line. */
export function lineText(node: Nodes): string {
  return inlineText(node).replace(/\s*\n\s*/g, ' ').trim();
}

const CHECKBOX = /^\[[ xX]\]\s+/;

export function isCheckboxItem(item: ListItem): boolean {
  if (item.checked !== null && item.checked !== undefined) return true;
  const first = item.children[0];
  return first?.type === 'paragraph' && CHECKBOX.test(lineText(first));
}

export function stripCheckbox(text: string): string {
  return text.replace(CHECKBOX, '');
}

/** Readable plain text of block content: paragraphs on their own lines, lists as "- " lines. */
export function blockText(nodes: readonly RootContent[]): string {
  return nodes
    .flatMap((n) => blockLines(n))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Plain text of one list item (checkbox removed), nested lists indented below it. */
export function itemText(item: ListItem): string {
  return stripCheckbox(blockText(item.children));
}

function blockLines(node: RootContent): string[] {
  switch (node.type) {
    case 'paragraph':
    case 'heading':
      return [lineText(node)];
    case 'list':
      return listLines(node);
    case 'code':
      return ['```' + (node.lang ?? ''), ...node.value.split('\n'), '```'];
    case 'blockquote':
      return node.children.flatMap(blockLines).map((l) => `> ${l}`);
    case 'html':
      return [node.value];
    default:
      return [];
  }
}

function listLines(list: List): string[] {
  return list.children.flatMap((item, i) => {
    const bullet = list.ordered ? `${(list.start ?? 1) + i}. ` : '- ';
    const [first = '', ...rest] = itemText(item).split('\n');
    return [bullet + first, ...rest.map((l) => '  ' + l)];
  });
}

/** The first sentence of the first line, at most `max` characters. */
export function firstSentence(text: string, max = 80): string {
  const line = text.split('\n', 1)[0] ?? '';
  const sentence = /^(.*?[.!?])(?:\s|$)/.exec(line)?.[1] ?? line;
  return clip(sentence, max);
}

export function clip(text: string, max = 80): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  if (space > max / 2) cut = cut.slice(0, space);
  return cut.trimEnd() + '…';
}
