import type { CheckpointMeta } from '../state/checkpoints';
import { captureState } from '../state/stateAtCheckpoint';
import type { RunContext } from './context';

/** Checkpoints the files and the build's task state after a step (a passed task, an iteration). */
export function checkpointStep(ctx: RunContext, name: string, meta: Omit<CheckpointMeta, 'state'>): void {
  const { record } = ctx;
  record.checkpoints.create(name, { ...meta, state: captureState(record.state) });
  record.update((s) => {
    s.checkpoints = [...new Set([...s.checkpoints, name])];
    s.lastCheckpoint = name;
  });
}

/** `task-T3-a2`; characters a checkpoint name cannot hold become `_`. */
export function taskCheckpointName(taskId: string, attempt: number): string {
  return `task-${taskId.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 48)}-a${attempt}`;
}
