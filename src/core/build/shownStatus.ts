import type { TaskStatus } from '../events/types';
import type { BuildState } from '../state/buildState';

/**
 * A build's status as people should read it. The document keeps what the engine last wrote; a
 * build whose process is gone is interrupted, and files rolled back since make its verdicts
 * history, not a description of the files there now.
 */
export function shownBuildStatus(s: BuildState, live: boolean): string {
  const base = s.status === 'running' && !live ? 'interrupted (run `munero resume`)' : s.status;
  const headline = `${base}${s.stopReason ? ` — ${s.stopReason}` : ''}`;
  const r = s.rolledBack;
  if (!r) return headline;
  const undo = r.undo ? `; undo with \`munero rollback ${r.undo}\`` : '';
  return `files rolled back to checkpoint "${r.checkpoint}" at ${r.at} (${r.files} ${r.files === 1 ? 'file' : 'files'})${undo}. Before the rollback the build was ${headline}; the verdicts below describe the files as they were then`;
}

/** A task the engine marked running is paused, cancelled or interrupted once its build is not running. */
export function shownTaskStatus(s: BuildState, status: TaskStatus, live: boolean): string {
  if (status !== 'running' || (s.status === 'running' && live)) return status;
  if (s.status === 'paused') return 'paused';
  if (s.status === 'cancelled') return 'cancelled';
  return 'interrupted';
}

/** One line on a state document rebuilt after damage: from what, and what could not be. */
export function describeRecovery(s: BuildState): string | undefined {
  const r = s.recovered;
  if (!r) return undefined;
  return `Rebuilt at ${r.at} from ${r.from.join(', ')}${r.movedTo ? ` (the damaged document is kept in ${r.movedTo})` : ''}. Lost: ${r.lost.join('; ')}.`;
}
