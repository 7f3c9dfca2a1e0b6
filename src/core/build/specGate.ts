import path from 'node:path';
import { selectRequirements, type Spec } from '../spec';
import { BuildInputError } from './inputError';
import type { BuildFlags } from './settings';

/**
 * The part of a spec a new build works on: the requirements `--only` names (and the tasks they
 * need), refused when nothing is left to build or a `[NEEDS CLARIFICATION]` is still open, unless
 * `--allow-unclear`.
 */
export function specToBuild(spec: Spec, flags: Pick<BuildFlags, 'only' | 'allowUnclear'>, workspaceRoot: string): Spec {
  const name = path.relative(workspaceRoot, spec.path) || spec.path;
  let chosen = spec;
  if (flags.only?.length) {
    const { spec: selected, unknown } = selectRequirements(spec, flags.only);
    if (unknown.length) {
      throw new BuildInputError(`--only names ${unknown.map((u) => `"${u}"`).join(', ')}, which ${unknown.length > 1 ? 'are' : 'is'} not a requirement of ${name}. Known ids: ${spec.requirements.map((r) => r.id).join(', ')}.`);
    }
    chosen = selected;
  }
  if (chosen.requirements.length === 0) {
    throw new BuildInputError(`${name} has nothing to build: no requirements${spec.deltas.length ? ' (a change that only removes or renames requirements)' : ''}.`);
  }
  if (chosen.clarifications.length && !flags.allowUnclear) {
    const open = chosen.clarifications.map((c) => `  ${path.relative(workspaceRoot, c.file ?? spec.path) || spec.path}:${c.line}: ${c.text}`).join('\n');
    throw new BuildInputError(`${name} has ${chosen.clarifications.length} unresolved [NEEDS CLARIFICATION] marker${chosen.clarifications.length > 1 ? 's' : ''}:\n${open}\nAnswer them in the spec, or build anyway with --allow-unclear.`);
  }
  return chosen;
}

/** A resumed build goes on with the requirements it started with. */
export function specToResume(spec: Spec, only: string[] | undefined): Spec {
  return only?.length ? selectRequirements(spec, only).spec : spec;
}
