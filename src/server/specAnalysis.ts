import { basename, dirname } from 'node:path';
import { loadSpec, parseTasksFile, readSpecText, SpecError, type Spec, type SpecIssue, type SpecTask } from '../core/spec';

/** What the server knows about one open document: a spec, or a spec folder's `tasks.md`. */
export type Analysis =
  | { kind: 'spec'; spec: Spec }
  | { kind: 'tasks'; tasks: SpecTask[]; spec: Spec | undefined; issues: SpecIssue[] }
  | { kind: 'unreadable'; issue: SpecIssue };

export function isTasksFile(path: string): boolean {
  return basename(path).toLowerCase() === 'tasks.md';
}

/** Reads the document's text as Munero will when it builds; never throws for a bad spec. */
export async function analyse(text: string, path: string): Promise<Analysis> {
  if (isTasksFile(path)) return analyseTasks(text, path);
  try {
    return { kind: 'spec', spec: readSpecText(text, path) };
  } catch (err) {
    if (!(err instanceof SpecError)) throw err;
    return { kind: 'unreadable', issue: { severity: 'error', code: err.code, path, line: err.line, message: err.message.replace(/^.*?: /, '') } };
  }
}

/** A `tasks.md` is read against the requirements of the spec folder it sits in. */
async function analyseTasks(text: string, path: string): Promise<Analysis> {
  const spec = await loadSpec(dirname(path), { lenient: true }).catch(() => undefined);
  const tasks = parseTasksFile(text, spec?.requirements ?? []);
  const issues: SpecIssue[] = [];
  if (spec) {
    const known = spec.requirements.map((r) => r.id).join(', ');
    for (const t of tasks.filter((t) => t.unresolved.length)) {
      issues.push({
        severity: 'warning',
        code: 'unknown_reference',
        path,
        line: t.line,
        message: `task ${t.id} names ${t.unresolved.map((u) => `"${u}"`).join(', ')}, which is no requirement or criterion of ${basename(spec.path)} (known: ${known}).`,
      });
    }
  }
  return { kind: 'tasks', tasks, spec, issues };
}
