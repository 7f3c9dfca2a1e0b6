import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { Requirement, SpecIssue } from '../core/spec';
import type { Analysis } from './specAnalysis';
import { findVagueWording } from './vagueWording';
import type { LastVerdict } from './lastVerdicts';

/** Spec-quality findings carry this source; requirement verdicts carry `munero` (as the build's own diagnostics do). */
export const SPEC_SOURCE = 'munero spec';
export const VERDICT_SOURCE = 'munero';

/** Everything the server says about a document: what reading it found, then the last build's verdicts. */
export function diagnosticsOf(analysis: Analysis, lines: string[], verdicts: Map<string, LastVerdict>): Diagnostic[] {
  switch (analysis.kind) {
    case 'unreadable':
      return [issueDiagnostic(analysis.issue, lines)];
    case 'tasks':
      return analysis.issues.map((i) => issueDiagnostic(i, lines));
    case 'spec': {
      const { spec } = analysis;
      const own = spec.issues.filter((i) => i.path === spec.path).map((i) => issueDiagnostic(i, lines));
      return [
        ...own,
        ...spec.requirements.filter((r) => !r.file && r.criteria.length === 0).map((r) => noCriteria(r, lines)),
        ...vagueWording(spec.requirements.filter((r) => !r.file), lines),
        ...verdictDiagnostics(spec.requirements, verdicts, lines),
      ];
    }
  }
}

function issueDiagnostic(issue: SpecIssue, lines: string[]): Diagnostic {
  const line = Math.max(0, (issue.line ?? 1) - 1);
  return {
    range: wholeLines(line, line, lines),
    severity: issue.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    source: SPEC_SOURCE,
    code: issue.code,
    message: issue.message,
  };
}

function noCriteria(r: Requirement, lines: string[]): Diagnostic {
  const line = r.range.startLine - 1;
  return {
    range: wholeLines(line, line, lines),
    severity: DiagnosticSeverity.Information,
    source: SPEC_SOURCE,
    code: 'no_criteria',
    message: `${r.id} has no acceptance criteria: agents and reviewers judge it by its text alone. List what a test should check (\`- WHEN … THEN …\`).`,
  };
}

function vagueWording(requirements: Requirement[], lines: string[]): Diagnostic[] {
  const inRequirements = requirements.flatMap((r) => {
    const out: { line: number; text: string }[] = [];
    for (let l = r.range.startLine - 1; l <= r.range.endLine - 1 && l < lines.length; l++) out.push({ line: l, text: lines[l]! });
    return out;
  });
  return findVagueWording(withoutFencedCode(inRequirements)).map((v) => ({
    range: { start: { line: v.line, character: v.start }, end: { line: v.line, character: v.end } },
    severity: DiagnosticSeverity.Warning,
    source: SPEC_SOURCE,
    code: 'vague',
    message: `"${v.phrase}" is vague: ${v.advice}.`,
  }));
}

/** Failed an error, unverified a warning, verified a hint, passed but untraced an information. */
function verdictDiagnostics(requirements: Requirement[], verdicts: Map<string, LastVerdict>, lines: string[]): Diagnostic[] {
  return requirements.flatMap((r) => {
    const v = verdicts.get(r.id);
    if (!v || r.file) return [];
    return [{
      range: wholeLines(r.range.startLine - 1, r.range.endLine - 1, lines),
      severity: VERDICT_SEVERITY[v.verdict] ?? DiagnosticSeverity.Warning,
      source: VERDICT_SOURCE,
      code: 'requirement',
      message: verdictMessage(v),
    }];
  });
}

export function verdictMessage(v: LastVerdict): string {
  if (v.verdict === 'verified') return `${v.id} is verified${v.verifiedBy ? ` by ${v.verifiedBy}` : ''}`;
  return `${v.id} is ${VERDICT_WORDS[v.verdict] ?? v.verdict}${v.reason ? `: ${v.reason}` : ''}`;
}

const VERDICT_WORDS: Record<string, string> = { 'passed-untraced': 'passed, untraced' };

const VERDICT_SEVERITY: Record<string, DiagnosticSeverity> = {
  verified: DiagnosticSeverity.Hint,
  'passed-untraced': DiagnosticSeverity.Information,
  unverified: DiagnosticSeverity.Warning,
  failed: DiagnosticSeverity.Error,
};

function wholeLines(start: number, end: number, lines: string[]) {
  const last = Math.min(Math.max(end, start), Math.max(0, lines.length - 1));
  return { start: { line: start, character: 0 }, end: { line: last, character: lines[last]?.length ?? 0 } };
}

function withoutFencedCode(lines: { line: number; text: string }[]): { line: number; text: string }[] {
  let fenced = false;
  return lines.filter(({ text }) => {
    if (/^\s*(```|~~~)/.test(text)) {
      fenced = !fenced;
      return false;
    }
    return !fenced;
  });
}
