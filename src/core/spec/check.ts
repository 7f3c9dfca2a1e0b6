import { SpecError } from './errors';
import { loadSpec } from './load';
import type { Spec, SpecIssue } from './types';

/** What `munero spec check --json` prints: what a build of this spec would work on, and what is wrong with it. */
export interface SpecCheck {
  path: string;
  title: string;
  requirements: {
    id: string;
    title: string;
    startLine: number;
    endLine: number;
    priority?: string;
    delta?: string;
    file?: string;
    criteria: { id: string; text: string; line: number }[];
  }[];
  successCriteria: Spec['successCriteria'];
  openQuestions: Spec['openQuestions'];
  clarifications: Spec['clarifications'];
  deltas: Spec['deltas'];
  tasks?: { path: string; items: { id: string; title: string; requirements: string[]; dependsOn: string[]; line: number }[] };
  warnings: Omit<SpecIssue, 'severity'>[];
  errors: Omit<SpecIssue, 'severity'>[];
  /** False when the input could not be read at all (then `errors` says why). */
  readable: boolean;
}

/** Reads a spec file or folder without a model; every problem is reported, none thrown. */
export async function checkSpec(path: string): Promise<SpecCheck> {
  let spec: Spec;
  try {
    spec = await loadSpec(path, { lenient: true });
  } catch (err) {
    if (!(err instanceof SpecError)) throw err;
    const error = { code: err.code, path: err.path, line: err.line, message: err.message.replace(/^.*?: /, '') };
    return { path, title: '', requirements: [], successCriteria: [], openQuestions: [], clarifications: [], deltas: [], warnings: [], errors: [error], readable: false };
  }
  const plain = ({ severity: _severity, ...rest }: SpecIssue) => rest;
  return {
    path: spec.path,
    title: spec.title,
    requirements: spec.requirements.map((r) => ({
      id: r.id,
      title: r.title,
      startLine: r.range.startLine,
      endLine: r.range.endLine,
      ...(r.priority ? { priority: r.priority } : {}),
      ...(r.delta ? { delta: r.delta } : {}),
      ...(r.file ? { file: r.file } : {}),
      criteria: r.criteria.map(({ id, text, line }) => ({ id, text, line })),
    })),
    successCriteria: spec.successCriteria,
    openQuestions: spec.openQuestions,
    clarifications: spec.clarifications,
    deltas: spec.deltas,
    tasks: spec.tasks && { path: spec.tasks.path, items: spec.tasks.items.map(({ id, title, requirements, dependsOn, line }) => ({ id, title, requirements, dependsOn, line })) },
    warnings: spec.issues.filter((i) => i.severity === 'warning').map(plain),
    errors: spec.issues.filter((i) => i.severity === 'error').map(plain),
    readable: true,
  };
}
