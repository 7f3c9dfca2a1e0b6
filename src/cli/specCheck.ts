import path from 'node:path';
import { checkSpec, plural, type SpecCheck } from '../core';

/** `munero spec check <file|folder> [--json]`: 0 clean, 1 with errors, 2 when the input cannot be read. */
export async function specCheckCommand(target: string, json: boolean): Promise<number> {
  const check = await checkSpec(path.resolve(target));
  const out = json || check.readable ? process.stdout : process.stderr;
  out.write(json ? JSON.stringify(check, null, 2) + '\n' : describe(check));
  if (!check.readable) return 2;
  return check.errors.length ? 1 : 0;
}

function describe(c: SpecCheck): string {
  const rel = (p: string) => path.relative(process.cwd(), p) || p;
  const lines: string[] = [];
  if (c.readable) lines.push(`${rel(c.path)}: ${c.title}`, '');
  for (const r of c.requirements) {
    const where = `${r.file ? rel(r.file) + ' ' : ''}lines ${r.startLine}-${r.endLine}`;
    const extra = [r.priority && `priority ${r.priority}`, r.delta].filter(Boolean).join(', ');
    lines.push(`${r.id}  ${r.title}  (${where}${extra ? `; ${extra}` : ''})`);
    for (const k of r.criteria) lines.push(`    ${k.id}  ${k.text.replace(/\s*\n\s*/g, ' ')}`);
  }
  if (c.successCriteria.length) lines.push('', 'Success criteria (judged, not built):', ...c.successCriteria.map((s) => `    ${s.id ?? `line ${s.line}`}  ${s.text}`));
  if (c.openQuestions.length) lines.push('', 'Open questions:', ...c.openQuestions.map((q) => `    line ${q.line}  ${q.text}`));
  if (c.deltas.length) lines.push('', 'Not built (OpenSpec deltas):', ...c.deltas.map((d) => `    ${d.kind} "${d.name}"${d.to ? ` -> "${d.to}"` : ''} (line ${d.line})`));
  if (c.tasks) lines.push('', `Tasks from ${rel(c.tasks.path)} (the plan's starting point):`, ...c.tasks.items.map((t) => `    ${t.id}  ${t.title}  -> ${t.requirements.join(', ') || '(no requirement named)'}`));
  const issue = (i: SpecCheck['warnings'][number]) => `    ${rel(i.path)}${i.line ? `:${i.line}` : ''}: ${i.message}`;
  if (c.warnings.length) lines.push('', `Warnings (${c.warnings.length}):`, ...c.warnings.map(issue));
  if (c.errors.length) lines.push('', `Errors (${c.errors.length}):`, ...c.errors.map(issue));
  const criteria = c.requirements.reduce((n, r) => n + r.criteria.length, 0);
  if (c.readable) lines.push('', `${plural(c.requirements.length, 'requirement')}, ${plural(criteria, 'criterion', 'criteria')}, ${plural(c.warnings.length, 'warning')}, ${plural(c.errors.length, 'error')}.`);
  return lines.join('\n') + '\n';
}
