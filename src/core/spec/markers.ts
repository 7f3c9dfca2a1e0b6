import type { Nodes, Root } from 'mdast';
import { matchId } from './ids';
import { inlineText } from './plainText';
import { idText } from './requirements';

const CLARIFICATION = /\[NEEDS CLARIFICATION:\s*([^\]]*)\]/gi;

interface Line {
  text: string;
  line: number;
}

/** Every line of prose (headings, paragraphs, list items, quotes), without code, inline code or HTML. */
function proseLines(root: Root): Line[] {
  const out: Line[] = [];
  const visit = (node: Nodes) => {
    if (node.type === 'paragraph' || node.type === 'heading') {
      const start = node.position?.start.line ?? 0;
      withoutCode(node)
        .split('\n')
        .forEach((text, i) => out.push({ text, line: start + i }));
      return;
    }
    if ('children' in node) for (const child of node.children as Nodes[]) visit(child);
  };
  visit(root);
  return out;
}

function withoutCode(node: Nodes): string {
  if (node.type === 'inlineCode') return ' '.repeat(node.value.length);
  if (node.type === 'text') return node.value;
  if (node.type === 'break') return '\n';
  if ('children' in node) return (node.children as Nodes[]).map(withoutCode).join('');
  return inlineText(node);
}

/** Unresolved `[NEEDS CLARIFICATION: …]` markers; a mention in code or without a question is not one. */
export function findClarifications(root: Root): Line[] {
  const found: Line[] = [];
  for (const { text, line } of proseLines(root)) {
    for (const m of text.matchAll(CLARIFICATION)) {
      const question = m[1]!.trim();
      if (question) found.push({ text: question, line });
    }
  }
  return found;
}

/** Lines that start with something shaped like a requirement id but were not read as anything. */
export function idLikeLines(root: Root, taken: Set<number>): { id: string; line: number }[] {
  const out: { id: string; line: number }[] = [];
  for (const { text, line } of proseLines(root)) {
    if (taken.has(line)) continue;
    const lead = text
      .trim()
      .replace(/^\[[ xX]\]\s+/, '')
      .replace(/^\|\s*/, '')
      .replace(/^(\S+?)\s*\|/, '$1:');
    const match = matchId(idText(lead));
    if (match && !match.named) out.push({ id: match.id, line });
  }
  return out;
}
