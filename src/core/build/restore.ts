import path from 'node:path';
import { ChangeSet } from '../changes/changeSet';
import { describeRollback, rollbackTo, type RollbackOutcome } from '../changes/rollback';
import type { EventBus } from '../events/bus';
import { START_CHECKPOINT } from '../state/checkpoints';
import { captureState, rewindState, stateBeforeAnyTask, type Rewound } from '../state/stateAtCheckpoint';
import type { BuildRecord } from '../state/workspaceState';
import { timelineOf } from './checkpointViews';
import { BuildInputError } from './inputError';

export interface RestoreOutcome extends RollbackOutcome {
  /** Present when the build's task state was rewound too. */
  rewound?: Rewound;
}

/**
 * Restores the files to a checkpoint (the rollback rules: files the user edited since are kept
 * unless `force`; undoable through a `before-rollback-N` checkpoint that also holds the task
 * state). With `withState` the build's task state goes back to that point as well, so `resume`
 * continues from there. Nothing in the logs is removed: an event records the rewind.
 */
export function restoreCheckpoint(record: BuildRecord, workspaceRoot: string, bus: EventBus, checkpoint: string, options: { force?: boolean; withState?: boolean }): RestoreOutcome {
  if (!record.checkpoints.exists(checkpoint)) {
    const known = timelineOf(record).map((e) => e.name);
    throw new BuildInputError(`Build ${record.state.id} has no checkpoint "${checkpoint}". Known: ${known.join(', ') || 'none (the build changed no file)'}.`);
  }
  const target = options.withState ? stateAt(record, checkpoint) : undefined;
  const changes = new ChangeSet(record, workspaceRoot, bus);
  const outcome: RestoreOutcome = rollbackTo(record, changes, workspaceRoot, checkpoint, options.force === true, {
    meta: { state: captureState(record.state) },
    always: options.withState,
  });
  const undo = outcome.undoCheckpoint;
  // Undoing a rollback puts the files back as the build left them, so its verdicts hold again.
  const undoing = record.checkpoints.manifest(checkpoint).meta?.kind === 'rollback';
  record.update((s) => {
    if (undo) s.checkpoints = [...new Set([...s.checkpoints, undo])];
    if (target) {
      outcome.rewound = rewindState(s, target, checkpoint);
      s.rolledBack = undefined;
    } else if (outcome.restored.length) {
      s.lastCheckpoint = checkpoint;
      s.rolledBack = undoing ? undefined : { checkpoint, at: new Date().toISOString(), files: outcome.restored.length, undo };
    }
  });
  const message = outcome.rewound ? `${describeRollback(outcome)}; ${describeRewind(outcome.rewound, record)}` : describeRollback(outcome);
  record.events.append(bus.emit({ type: 'log', level: outcome.kept.length ? 'warn' : 'info', message }));
  return outcome;
}

function stateAt(record: BuildRecord, checkpoint: string) {
  if (checkpoint === START_CHECKPOINT) return stateBeforeAnyTask(record.state);
  const state = record.checkpoints.manifest(checkpoint).meta?.state;
  if (!state) throw new BuildInputError(`Checkpoint "${checkpoint}" holds no task state (it was made before Munero recorded one); restore its files only.`);
  return state;
}

function describeRewind(r: Rewound, record: BuildRecord): string {
  const parts = [`task state rewound to iteration ${r.iteration}`];
  if (r.reopened.length) parts.push(`${r.reopened.join(', ')} reopened`);
  if (r.restoredPlanVersion) parts.push(`plan v${r.restoredPlanVersion} restored as v${r.planVersion}`);
  parts.push(`the undone attempts' conversations stay in ${path.join(record.dir, 'conversations')}; a resumed task starts a fresh attempt`);
  return parts.join(', ');
}
