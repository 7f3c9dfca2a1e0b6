import type { ChangeSet } from '../changes/changeSet';
import type { BuildRecord } from '../state/workspaceState';
import { ReviewDesk, type ReviewHooks } from './desk';
import { addReviewFeedback } from './feedback';
import { ReviewStore } from './store';

/** The review of one build, attached to its change set; what the user says goes to the build's tasks. */
export function openReviewDesk(record: BuildRecord, changes: ChangeSet, workspaceRoot: string, hooks: Omit<ReviewHooks, 'feedback'>): ReviewDesk {
  const desk = new ReviewDesk(new ReviewStore(record), changes, workspaceRoot, () => record.state.options.reviewMode ?? 'auto', {
    ...hooks,
    feedback: (taskId, text) => addReviewFeedback(record, taskId, text),
  });
  changes.attachReview(desk);
  return desk;
}
