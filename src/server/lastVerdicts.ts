import fs from 'node:fs';
import path from 'node:path';
import type { BuildState, RequirementVerdict } from '../core/state/buildState';

/** A requirement's verdict in the workspace's current build, with what it cost and when. */
export interface LastVerdict extends RequirementVerdict {
  buildId: string;
  buildStatus: string;
  at: string;
  costUsd: number;
}

const MAX_LEVELS = 32;

/** The nearest folder at or above `file` holding `.munero/current.json`. */
export function workspaceRootOf(file: string): string | undefined {
  let dir = path.dirname(file);
  for (let i = 0; i < MAX_LEVELS; i++) {
    if (fs.existsSync(path.join(dir, '.munero', 'current.json'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
  return undefined;
}

/**
 * The verdicts the current build in `.munero/` gave the requirements of `specFile` (read-only;
 * a missing or unreadable state is no verdicts). A rolled-back build has none.
 */
export function lastVerdicts(specFile: string): Map<string, LastVerdict> {
  const root = workspaceRootOf(specFile);
  if (!root) return new Map();
  const state = readCurrentBuild(root);
  if (!state || !sameFile(path.resolve(root, state.specPath), specFile)) return new Map();
  // Rolled back to before the build: its verdicts no longer describe the files.
  if (state.lastCheckpoint === 'start') return new Map();
  const tasks = state.plan?.tasks ?? [];
  return new Map(
    state.requirements.map((r) => {
      const costUsd = tasks.filter((t) => t.requirements.includes(r.id)).reduce((sum, t) => sum + (state.tasks[t.id]?.usage?.costUsd ?? 0), 0);
      return [r.id, { ...r, buildId: state.id, buildStatus: state.status, at: state.updatedAt, costUsd }];
    }),
  );
}

function readCurrentBuild(root: string): BuildState | undefined {
  try {
    const dir = path.join(root, '.munero');
    const { buildId } = JSON.parse(fs.readFileSync(path.join(dir, 'current.json'), 'utf8')) as { buildId?: string };
    if (!buildId || !/^[\w.-]+$/.test(buildId)) return undefined;
    const state = JSON.parse(fs.readFileSync(path.join(dir, 'builds', buildId, 'build.json'), 'utf8')) as BuildState;
    return Array.isArray(state.requirements) ? state : undefined;
  } catch {
    return undefined;
  }
}

function sameFile(a: string, b: string): boolean {
  if (path.resolve(a) === path.resolve(b)) return true;
  try {
    return fs.realpathSync(a) === fs.realpathSync(b);
  } catch {
    return false;
  }
}
