import fs from 'node:fs';
import path from 'node:path';
import type { BuildState, HistoryEntry } from '../state/buildState';
import type { WorkspaceState } from '../state/workspaceState';

/** The history line of a build that ended. */
export function historyEntry(s: BuildState, endedAt = new Date().toISOString()): HistoryEntry {
  return {
    buildId: s.id,
    specPath: s.specPath,
    startedAt: s.createdAt,
    endedAt,
    status: s.status,
    iterations: s.iteration,
    usage: s.usage,
    unmet: s.requirements.filter((r) => r.verdict !== 'verified').map((r) => r.id),
  };
}

/**
 * The workspace's history. A build killed between its state saying it ended and its history line
 * being written is listed from its state, which already holds everything the line would.
 */
export function historyOf(state: WorkspaceState): HistoryEntry[] {
  const entries = state.history();
  const id = state.currentBuildId();
  if (!id || entries.some((e) => e.buildId === id)) return entries;
  const ended = endedBuild(path.join(state.dir, 'builds', id, 'build.json'));
  return ended ? [...entries, historyEntry(ended, ended.updatedAt)] : entries;
}

/** Read only: a broken file is left to the commands that report it. */
function endedBuild(file: string): BuildState | undefined {
  try {
    const s = JSON.parse(fs.readFileSync(file, 'utf8')) as BuildState;
    return ['verified', 'unmet', 'failed', 'cancelled'].includes(s.status) ? s : undefined;
  } catch {
    return undefined;
  }
}
