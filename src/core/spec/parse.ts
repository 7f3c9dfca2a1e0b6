import { basename, extname } from 'node:path';
import type { Root, Yaml } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { frontmatterFromMarkdown } from 'mdast-util-frontmatter';
import { frontmatter } from 'micromark-extension-frontmatter';
import { location, SpecError } from './errors';
import { readFrontMatter, unclosedFrontMatter } from './frontMatter';
import { derivedId, idKey } from './ids';
import { findClarifications, idLikeLines } from './markers';
import { lineText } from './plainText';
import { findRequirements, type FoundRequirement } from './requirements';
import type { Criterion, Requirement, Spec, SpecIssue, SpecSettings } from './types';

/**
 * Parses spec text. `path` is only used in the result and in error messages. Throws a SpecError
 * for a spec that cannot be used (no requirements, bad front matter, a repeated id).
 */
export function parseSpec(text: string, path: string): Spec {
  const spec = readSpecText(text, path, true);
  const duplicate = spec.issues.find((i) => i.code === 'duplicate_id');
  if (duplicate) throw new SpecError('duplicate_id', path, duplicate.message, duplicate.line);
  return spec;
}

/**
 * Reads what it can and reports the rest as issues instead of throwing (for `munero spec check`):
 * only text that is not a spec at all (binary, empty) throws, and with `strict` front matter errors
 * and a spec with nothing to build do too.
 */
export function readSpecText(text: string, path: string, strict = false): Spec {
  const nul = text.indexOf('\0');
  if (nul >= 0) {
    throw new SpecError('binary', path, 'contains a NUL byte, so it is not a text file. Point Munero at a markdown (.md) spec.', lineOf(text, nul));
  }
  if (text.trim() === '') {
    throw new SpecError('empty', path, 'the spec is empty. Write at least one requirement, e.g. `- R1: The CLI prints its version`.');
  }
  const issues: SpecIssue[] = [];
  // Dropping a BOM shifts columns on line 1 only, so line numbers stay right.
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const root = fromMarkdown(source, {
    extensions: [frontmatter(['yaml'])],
    mdastExtensions: [frontmatterFromMarkdown(['yaml'])],
  });
  const settings = frontMatterOf(root, source, path, strict, issues);

  const found = findRequirements(root);
  if (found.requirements.length === 0 && (strict ? true : found.deltas.length === 0)) {
    const error = new SpecError(
      'no_requirements',
      path,
      'no requirements found. Start a heading or list item with an id (`## R1: Title`, `- FR-001: The system MUST ...`), or list them as plain items under a `## Requirements` heading.',
    );
    if (strict && found.deltas.length === 0) throw error;
    if (found.deltas.length === 0) issues.push({ severity: 'error', code: 'no_requirements', path, message: error.message.slice(path.length + 2) });
  }
  const requirements = assignIds(found.requirements, path, issues);
  const within = (line: number) => requirements.find((r) => line >= r.range.startLine && line <= r.range.endLine);

  const clarifications = findClarifications(root).map((c) => ({ ...c, id: within(c.line)?.id }));
  for (const c of clarifications) {
    const where = c.id ? ` in ${c.id}` : '';
    issues.push({ severity: 'error', code: 'unclear', path, line: c.line, message: `unresolved [NEEDS CLARIFICATION: ${c.text}]${where}. Answer it in the spec, or build anyway with --allow-unclear.` });
  }
  for (const { id, line } of idLikeLines(root, found.taken)) {
    const owner = within(line);
    const why = owner ? `it is read as part of ${owner.id}'s text` : 'it is in no form Munero reads as a requirement (a heading, a list item or a line starting with the id)';
    issues.push({ severity: 'warning', code: 'id_not_taken', path, line, message: `\`${id}\` looks like a requirement id but is not built as one: ${why}.` });
  }
  for (const d of found.deltas) {
    const what = d.kind === 'removed' ? `removes requirement "${d.name}"` : `renames requirement "${d.name}" to "${d.to}"`;
    issues.push({ severity: 'warning', code: `delta_${d.kind}`, path, line: d.line, message: `this change ${what}; reported, not built.` });
  }
  issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return {
    path,
    title: specTitle(root, path),
    settings,
    requirements,
    successCriteria: found.successCriteria,
    openQuestions: found.openQuestions,
    clarifications: clarifications.map(({ text, line }) => ({ text, line })),
    deltas: found.deltas,
    text,
    warnings: issues.filter((i) => i.severity === 'warning').map(formatIssue),
    issues,
  };
}

export function formatIssue(issue: SpecIssue): string {
  return `${location(issue.path, issue.line)}: ${issue.message}`;
}

function frontMatterOf(root: Root, source: string, path: string, strict: boolean, issues: SpecIssue[]): SpecSettings {
  const yaml = root.children[0]?.type === 'yaml' ? (root.children[0] as Yaml) : undefined;
  try {
    const unclosed = yaml ? undefined : unclosedFrontMatter(source, path);
    if (unclosed) throw unclosed;
    const { settings, warnings } = readFrontMatter(yaml, path);
    for (const w of warnings) {
      const m = /^(.*?):(\d+): (.*)$/s.exec(w);
      issues.push({ severity: 'warning', code: 'front_matter', path, line: m ? Number(m[2]) : undefined, message: m ? m[3]! : w });
    }
    return settings;
  } catch (err) {
    if (strict || !(err instanceof SpecError)) throw err;
    issues.push({ severity: 'error', code: err.code, path, line: err.line, message: err.message.replace(`${location(path, err.line)}: `, '') });
    return {};
  }
}

/** Reports repeated written ids (`US1` repeats `US-1`); derives the missing ones, adding `-2`, `-3`... only on collision. */
function assignIds(found: FoundRequirement[], path: string, issues: SpecIssue[]): Requirement[] {
  const firstLine = new Map<string, { id: string; line: number }>();
  for (const r of found) {
    if (r.id === undefined) continue;
    const key = idKey(r.id);
    const earlier = firstLine.get(key);
    if (earlier !== undefined) {
      const same = earlier.id === r.id ? `\`${r.id}\`` : `\`${r.id}\` (the same as \`${earlier.id}\`)`;
      issues.push({
        severity: 'error',
        code: 'duplicate_id',
        path,
        line: r.range.startLine,
        message: `requirement id ${same} is used on both line ${earlier.line} and line ${r.range.startLine}. Give each requirement its own id.`,
      });
      continue;
    }
    firstLine.set(key, { id: r.id, line: r.range.startLine });
  }
  const used = new Set([...firstLine.values()].map((v) => v.id));
  return found.map(({ id, criteria, ...rest }) => {
    let finalId = id;
    if (finalId === undefined) {
      const base = derivedId(rest.text);
      finalId = base;
      for (let n = 2; used.has(finalId); n++) finalId = `${base}-${n}`;
      used.add(finalId);
    }
    const withIds = criterionIds(finalId, criteria);
    const requirement: Requirement = { id: finalId, ...rest, acceptance: withIds.map((c) => c.text), criteria: withIds, explicitId: id !== undefined };
    if (requirement.priority === undefined) delete requirement.priority;
    if (requirement.delta === undefined) delete requirement.delta;
    return requirement;
  });
}

/** `<id>.<n>`: the number written (`1.3`), else the position; never two alike. */
function criterionIds(requirementId: string, criteria: FoundRequirement['criteria']): Criterion[] {
  const used = new Set<string>();
  return criteria.map((c, i) => {
    let n = c.number ?? String(i + 1);
    if (used.has(n)) for (let k = i + 1; used.has((n = String(k))); k++);
    used.add(n);
    return { id: `${requirementId}.${n}`, text: c.text, line: c.line };
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
