import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver';
import type { Analysis } from './specAnalysis';

/** Requirements with their criteria as children; in a `tasks.md`, the tasks. */
export function outlineOf(analysis: Analysis, lines: string[]): DocumentSymbol[] {
  if (analysis.kind === 'tasks') {
    return analysis.tasks.map((t) => symbol(`${t.id} ${t.title}`, t.requirements.join(', '), SymbolKind.Event, t.line, t.line, lines));
  }
  if (analysis.kind !== 'spec') return [];
  return analysis.spec.requirements
    .filter((r) => !r.file)
    .map((r) => ({
      ...symbol(`${r.id} ${r.title}`, r.priority ?? '', SymbolKind.Class, r.range.startLine, r.range.endLine, lines),
      children: r.criteria.map((c) => symbol(c.id, c.text, SymbolKind.Field, c.line, c.line, lines)),
    }));
}

function symbol(name: string, detail: string, kind: SymbolKind, startLine: number, endLine: number, lines: string[]): DocumentSymbol {
  const start = Math.max(0, startLine - 1);
  const end = Math.max(start, Math.min(endLine - 1, lines.length - 1));
  const range = { start: { line: start, character: 0 }, end: { line: end, character: lines[end]?.length ?? 0 } };
  const selectionRange = { start: range.start, end: { line: start, character: lines[start]?.length ?? 0 } };
  return { name: name.trim() || '(untitled)', detail: detail.length > 80 ? `${detail.slice(0, 79)}…` : detail, kind, range, selectionRange };
}
