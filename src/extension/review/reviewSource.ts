import type { BuildManager, MuneroEvent, ReviewDecision, ReviewSnapshot, ReviewTarget } from '../../core';

/** The part of the core the editor's review speaks to: state to render, and decisions to forward. */
export interface ReviewSource {
  reviewSnapshot(): ReviewSnapshot;
  decideReview(target: ReviewTarget, decision: ReviewDecision): Promise<{ decided: string[]; stale: string[] }>;
  /** Calls `listener` whenever the hunks awaiting review may have changed; returns the unsubscribe. */
  onReviewChanged(listener: () => void): () => void;
}

export const EMPTY_SNAPSHOT: ReviewSnapshot = { mode: 'review', files: [], pendingCount: 0 };

const REFRESH_ON = new Set<MuneroEvent['type']>(['review.changed', 'build.started', 'build.finished']);

/** The BuildManager as a ReviewSource. */
export function reviewSourceOf(manager: BuildManager): ReviewSource {
  return {
    reviewSnapshot: () => manager.reviewSnapshot(),
    decideReview: (target, decision) => manager.decideReview(target, decision),
    onReviewChanged(listener) {
      const subscription = manager.bus.events$.subscribe((e) => REFRESH_ON.has(e.type) && listener());
      return () => subscription.unsubscribe();
    },
  };
}
