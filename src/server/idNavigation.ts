import { pathToFileURL } from 'node:url';
import { CompletionItemKind, type CompletionItem, type Location } from 'vscode-languageserver';
import { referenceResolver, type Requirement } from '../core/spec';
import type { Analysis } from './specAnalysis';

/** The requirements an id in this document refers to: the spec's own, or for a tasks.md its folder's spec. */
function requirementsOf(analysis: Analysis): { requirements: Requirement[]; file: string } | undefined {
  if (analysis.kind === 'spec') return { requirements: analysis.spec.requirements, file: analysis.spec.path };
  if (analysis.kind === 'tasks' && analysis.spec) return { requirements: analysis.spec.requirements, file: analysis.spec.path };
  return undefined;
}

/** Go to definition: the id (or criterion id, `2.3`, `US1`) under the cursor → the spec line that states it. */
export function definitionAt(analysis: Analysis, line: string, character: number): Location | undefined {
  const known = requirementsOf(analysis);
  if (!known) return undefined;
  const word = wordAt(line, character);
  if (!word) return undefined;
  const id = referenceResolver(known.requirements)(word);
  const requirement = known.requirements.find((r) => r.id === id);
  if (!requirement) return undefined;
  const criterion = requirement.criteria.find((c) => c.id.toLowerCase() === word.toLowerCase());
  const target = (criterion?.line ?? requirement.range.startLine) - 1;
  return { uri: pathToFileURL(requirement.file ?? known.file).href, range: { start: { line: target, character: 0 }, end: { line: target, character: 0 } } };
}

/** The requirement an id under the cursor names, else the requirement whose lines hold the cursor (in a spec). */
export function requirementAt(analysis: Analysis, line: string, position: { line: number; character: number }): string | undefined {
  const known = requirementsOf(analysis);
  if (!known) return undefined;
  const word = wordAt(line, position.character);
  const named = word ? referenceResolver(known.requirements)(word) : undefined;
  if (named) return named;
  if (analysis.kind !== 'spec') return undefined;
  return known.requirements.find((r) => !r.file && position.line + 1 >= r.range.startLine && position.line + 1 <= r.range.endLine)?.id;
}

/** Completion of requirement ids, with their titles. */
export function idCompletions(analysis: Analysis): CompletionItem[] {
  return (requirementsOf(analysis)?.requirements ?? []).map((r) => ({ label: r.id, kind: CompletionItemKind.Reference, detail: r.title }));
}

function wordAt(line: string, character: number): string | undefined {
  const word = /[A-Za-z0-9][A-Za-z0-9.-]*[A-Za-z0-9]|[A-Za-z0-9]/g;
  for (const m of line.matchAll(word)) {
    if (character >= m.index! && character <= m.index! + m[0].length) return m[0];
  }
  return undefined;
}
