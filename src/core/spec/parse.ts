import { basename, extname } from 'node:path';
import type { Root, Yaml } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { frontmatterFromMarkdown } from 'mdast-util-frontmatter';
import { frontmatter } from 'micromark-extension-frontmatter';
import { SpecError } from './errors';
import { readFrontMatter, unclosedFrontMatter } from './frontMatter';
import { derivedId } from './ids';
import { lineText } from './plainText';
import { findRequirements, type FoundRequirement } from './requirements';
import type { Requirement, Spec } from './types';

/** Parses spec text. `path` is only used in the result and in error messages. */
export function parseSpec(text: string, path: string): Spec {
  const nul = text.indexOf('\0');
  if (nul >= 0) {
    const line = lineOf(text, nul);
    throw new SpecError('binary', path, 'contains a NUL byte, so it is not a text file. Point Munero at a markdown (.md) spec.', line);
  }
  if (text.trim() === '') {
    throw new SpecError('empty', path, 'the spec is empty. Write at least one requirement, e.g. `- R1: The CLI prints its version`.');
  }
  // Dropping a BOM shifts columns on line 1 only, so line numbers stay right.
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const root = fromMarkdown(source, {
    extensions: [frontmatter(['yaml'])],
    mdastExtensions: [frontmatterFromMarkdown(['yaml'])],
  });
  const yaml = root.children[0]?.type === 'yaml' ? (root.children[0] as Yaml) : undefined;
  const unclosed = yaml ? undefined : unclosedFrontMatter(source, path);
  if (unclosed) throw unclosed;
  const { settings, warnings } = readFrontMatter(yaml, path);

  const found = findRequirements(root);
  if (found.length === 0) {
    throw new SpecError(
      'no_requirements',
      path,
      'no requirements found. Start a heading or list item with an id (`## R1: Title`, `- FR-001: The system MUST ...`), or list them as plain items under a `## Requirements` heading.',
    );
  }
  return { path, title: specTitle(root, path), settings, requirements: assignIds(found, path), text, warnings };
}

/** Rejects repeated written ids; derives the missing ones, adding `-2`, `-3`... only on collision. */
function assignIds(found: FoundRequirement[], path: string): Requirement[] {
  const firstLine = new Map<string, number>();
  for (const r of found) {
    if (r.id === undefined) continue;
    const earlier = firstLine.get(r.id);
    if (earlier !== undefined) {
      throw new SpecError(
        'duplicate_id',
        path,
        `requirement id \`${r.id}\` is used on both line ${earlier} and line ${r.range.startLine}. Give each requirement its own id.`,
        r.range.startLine,
      );
    }
    firstLine.set(r.id, r.range.startLine);
  }
  const used = new Set(firstLine.keys());
  return found.map(({ id, ...rest }) => {
    if (id !== undefined) return { id, ...rest, explicitId: true };
    const base = derivedId(rest.text);
    let derived = base;
    for (let n = 2; used.has(derived); n++) derived = `${base}-${n}`;
    used.add(derived);
    return { id: derived, ...rest, explicitId: false };
  });
}

function specTitle(root: Root, path: string): string {
  const h1 = root.children.find((n) => n.type === 'heading' && n.depth === 1);
  const title = h1 ? lineText(h1) : '';
  return title || basename(path, extname(path));
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
