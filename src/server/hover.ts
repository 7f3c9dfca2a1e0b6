import type { Hover } from 'vscode-languageserver';
import type { Requirement } from '../core/spec';
import type { LastVerdict } from './lastVerdicts';
import type { Analysis } from './specAnalysis';

const ICON: Record<string, string> = { verified: '✅', 'passed-untraced': '☑️', unverified: '⏳', failed: '❌' };
const WORDS: Record<string, string> = { 'passed-untraced': 'passed, untraced' };

/** Over a requirement's heading or first line: its last verdict, the tests that proved it, when, and its cost. */
export function hoverAt(analysis: Analysis, line: number, verdicts: Map<string, LastVerdict>): Hover | undefined {
  if (analysis.kind !== 'spec') return undefined;
  const requirement = analysis.spec.requirements.find((r) => !r.file && line + 1 >= r.range.startLine && line + 1 <= r.range.endLine);
  if (!requirement) return undefined;
  return { contents: { kind: 'markdown', value: describe(requirement, verdicts.get(requirement.id)) } };
}

function describe(r: Requirement, v: LastVerdict | undefined): string {
  const head = `**${r.id}** ${r.title}${r.priority ? ` · ${r.priority}` : ''} · ${r.criteria.length} acceptance ${r.criteria.length === 1 ? 'criterion' : 'criteria'}`;
  if (!v) return `${head}\n\nNot built yet.`;
  const lines = [head, '', `${ICON[v.verdict] ?? ''} **${WORDS[v.verdict] ?? v.verdict}** in build \`${v.buildId}\` (${v.buildStatus}), ${v.at.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}`];
  if (v.tests?.length) lines.push('', 'Tests that name it:', ...v.tests.map((t) => `- \`${t}\``));
  else if (v.verifiedBy) lines.push('', `Verified by ${v.verifiedBy}`);
  if (v.reason) lines.push('', v.reason);
  lines.push('', `Cost: $${v.costUsd.toFixed(4)}`);
  return lines.join('\n');
}
