import type { CodeLens } from 'vscode-languageserver';
import type { Analysis } from './specAnalysis';

/** The extension's commands the lenses run: build the spec, or one requirement (`--only`). */
export const BUILD_COMMAND = 'munero.buildFromSpec';
export const BUILD_REQUIREMENT_COMMAND = 'munero.buildRequirement';

/** **Build** over the spec's first line and **Build this requirement** over each requirement. */
export function codeLensesOf(analysis: Analysis, uri: string): CodeLens[] {
  if (analysis.kind !== 'spec' || analysis.spec.requirements.length === 0) return [];
  const at = (line: number) => ({ start: { line, character: 0 }, end: { line, character: 0 } });
  return [
    { range: at(0), command: { title: 'Build', command: BUILD_COMMAND, arguments: [uri] } },
    ...analysis.spec.requirements
      .filter((r) => !r.file)
      .map((r) => ({ range: at(r.range.startLine - 1), command: { title: 'Build this requirement', command: BUILD_REQUIREMENT_COMMAND, arguments: [uri, r.id] } })),
  ];
}
