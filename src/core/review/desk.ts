import type { ChangeRecord, ChangeReview, ChangeSet } from '../changes/changeSet';
import { readFileSafely } from '../changes/safeWrite';
import type { ProposalResult } from '../changes/types';
import type { MuneroEventBody } from '../events/types';
import { compose, computeHunks } from './hunks';
import { landApproved, undoHunk } from './landing';
import { describeLanding } from './messages';
import type { OpenReview, ReviewStore, StoredReview } from './store';
import type { ReviewDecision, ReviewMode, ReviewSnapshot, ReviewTarget } from './types';

export interface ReviewHooks {
  /** The proposing agent starts waiting for the user; the returned function ends the wait. */
  waitStarted?(change: ChangeRecord): () => void;
  /** Something the task's agent must hear at its next request (a hunk undone, and why). */
  feedback(taskId: string | undefined, text: string): void;
  emit(event: MuneroEventBody): void;
}

const STALE_REASON = 'the file changed there after the proposal, so it no longer applies cleanly; nothing was overwritten';

/**
 * The user's say over agents' changes, hunk by hunk. `review`: changes are on disk and each hunk
 * is kept or undone. `approve`: the proposing tool call waits here until every hunk of its change
 * is decided, then the accepted hunks land. Decisions are stored as they are made.
 */
export class ReviewDesk implements ChangeReview {
  private readonly waiters = new Map<string, (result: ProposalResult) => void>();

  constructor(
    private readonly store: ReviewStore,
    private readonly changes: ChangeSet,
    private readonly workspaceRoot: string,
    private readonly currentMode: () => ReviewMode,
    private readonly hooks: ReviewHooks,
  ) {}

  mode(): ReviewMode {
    return this.currentMode();
  }

  snapshot(): ReviewSnapshot {
    return this.store.snapshot(this.mode());
  }

  hasProposal(changeId: string): boolean {
    const stored = this.store.byChange(changeId);
    return stored?.state === 'proposed' && !stored.settled;
  }

  async awaitApproval(change: ChangeRecord, before: string | null, after: string, signal?: AbortSignal): Promise<ProposalResult> {
    let stored = this.store.byChange(change.id);
    if (!stored) {
      const hunks = computeHunks(before ?? '', after);
      stored = { ...storedFrom(change, 'proposed', before === null ? null : this.store.putBlob(before)), hunks: hunks.map(() => ({ status: 'pending' as const })) };
      this.store.add(stored);
      if (hunks.length) this.changed();
    }
    if (!stored.hunks.some((h) => h.status === 'pending')) return this.settle(stored);
    const ended = this.hooks.waitStarted?.(change);
    try {
      return await new Promise<ProposalResult>((resolve, reject) => {
        const onAbort = () => {
          this.waiters.delete(change.id);
          reject(abortError());
        };
        if (signal?.aborted) return onAbort();
        signal?.addEventListener('abort', onAbort, { once: true });
        this.waiters.set(change.id, (result) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(result);
        });
      });
    } finally {
      ended?.();
    }
  }

  noteApplied(change: ChangeRecord, before: string | null, after: string): void {
    // A newer change to a file still under review: its baseline stays what the user has kept so far.
    const earlier = this.store.open().find((r) => r.path === change.path && r.state === 'applied');
    let baseline = before;
    let baselineSha = before === null ? null : this.store.putBlob(before);
    if (earlier) {
      const open = this.store.load(earlier);
      baseline = compose(open.before ?? '', open.hunks, (h) => (earlier.hunks[h.index - 1].status === 'pending' || earlier.hunks[h.index - 1].status === 'rejected' ? 'old' : 'new')).text;
      if (open.before === null && baseline === '') baseline = null;
      baselineSha = baseline === null ? null : this.store.putBlob(baseline);
      this.store.update(earlier.changeId, (r) => (r.supersededBy = change.id));
    }
    const hunks = computeHunks(baseline ?? '', after);
    this.store.add({ ...storedFrom(change, 'applied', baselineSha), hunks: hunks.map(() => ({ status: 'pending' as const })) });
    if (hunks.length || earlier) this.changed();
  }

  /** Decides the pending hunks the target names; returns the ids decided and those found stale. */
  decide(target: ReviewTarget, decision: ReviewDecision): { decided: string[]; stale: string[] } {
    const decided: string[] = [];
    const stale: string[] = [];
    const touched = new Set<string>();
    for (const { review, index } of this.targets(target)) {
      const id = `${review.changeId}:${index}`;
      const at = new Date().toISOString();
      const reason = decision.accept ? undefined : decision.reason?.trim() || undefined;
      if (review.state === 'proposed') {
        this.store.update(review.changeId, (r) => {
          r.hunks[index - 1] = { status: decision.accept ? 'accepted' : 'rejected', reason, decidedAt: at, ...(decision.accept && decision.editedLines ? { editedLines: decision.editedLines } : {}) };
        });
        touched.add(review.changeId);
      } else if (decision.accept) {
        this.store.update(review.changeId, (r) => (r.hunks[index - 1] = { status: 'accepted', decidedAt: at }));
      } else if (this.undo(review, index)) {
        this.store.update(review.changeId, (r) => (r.hunks[index - 1] = { status: 'rejected', reason, decidedAt: at }));
        this.hooks.feedback(review.taskId, `${review.path}, hunk ${index} undone by the user${reason ? `: ${reason}` : ''}`);
      } else {
        this.store.update(review.changeId, (r) => (r.hunks[index - 1] = { status: 'stale', reason: 'you changed these lines since; they were left as they are', decidedAt: at }));
        stale.push(id);
        continue;
      }
      decided.push(id);
    }
    for (const changeId of touched) {
      const stored = this.store.byChange(changeId)!;
      const waiter = this.waiters.get(changeId);
      if (waiter && !stored.hunks.some((h) => h.status === 'pending')) {
        this.waiters.delete(changeId);
        const result = this.settle(stored);
        stale.push(...this.store.byChange(changeId)!.hunks.flatMap((h, i) => (h.status === 'stale' ? [`${changeId}:${i + 1}`] : [])));
        waiter(result);
      }
    }
    if (decided.length || stale.length) this.changed();
    return { decided, stale };
  }

  private targets(target: ReviewTarget): { review: StoredReview; index: number }[] {
    const out: { review: StoredReview; index: number }[] = [];
    for (const review of this.store.open()) {
      review.hunks.forEach((h, i) => {
        if (h.status !== 'pending') return;
        const id = `${review.changeId}:${i + 1}`;
        if ('all' in target || ('path' in target && target.path === review.path) || ('hunkId' in target && target.hunkId === id)) out.push({ review, index: i + 1 });
      });
    }
    return out;
  }

  /** Review mode: puts one hunk's earlier lines back on disk. False when the user changed them since. */
  private undo(review: StoredReview, index: number): boolean {
    const open = this.store.load(review);
    const current = this.read(review.path);
    if (current === undefined) return false;
    const text = undoHunk(open.before ?? '', open.hunks, review.hunks, index, current);
    if (text === undefined) return false;
    const everyHunkUndone = review.hunks.every((h, i) => i + 1 === index || h.status === 'rejected');
    const removed = open.before === null && everyHunkUndone && text === '';
    this.changes.writeReviewed(review.path, removed ? null : text, { agentId: review.agentId, taskId: review.taskId }, `hunk ${index} of ${review.changeId} undone`);
    return true;
  }

  /** Approve mode, every hunk decided: lands what was accepted and tells the agent exactly what that is. */
  private settle(stored: StoredReview): ProposalResult {
    const open: OpenReview = this.store.load(stored);
    const change = this.changes.all().find((c) => c.id === stored.changeId)!;
    if (open.hunks.length === 0) {
      this.store.update(stored.changeId, (r) => (r.settled = true));
      this.changes.landApproved(change, null, 'no change: the file already held this content');
      return { changeId: change.id, status: 'applied', note: 'Nothing changed: the file already held this content.' };
    }
    const current = this.read(stored.path);
    const landing = landApproved(open.before, open.hunks, stored.hunks, current);
    this.store.update(stored.changeId, (r) => {
      for (const i of landing.stale) r.hunks[i - 1] = { ...r.hunks[i - 1], status: 'stale', reason: STALE_REASON };
      r.settled = true;
    });
    const settled = this.store.byChange(stored.changeId)!;
    const message = describeLanding(settled, open.hunks, landing.text !== null);
    this.changes.landApproved(change, landing.text === null ? null : Buffer.from(landing.text, 'utf8'), message);
    return { changeId: change.id, status: landing.text === null ? 'rejected' : 'applied', reason: landing.text === null ? message : undefined, note: landing.text === null ? undefined : message };
  }

  private read(rel: string): string | undefined {
    return readFileSafely(this.workspaceRoot, rel)?.data.toString('utf8');
  }

  private changed(): void {
    const snapshot = this.snapshot();
    this.hooks.emit({ type: 'review.changed', pendingCount: snapshot.pendingCount, paths: [...new Set(snapshot.files.map((f) => f.path))] });
  }
}

function storedFrom(change: ChangeRecord, state: 'applied' | 'proposed', beforeSha: string | null): Omit<StoredReview, 'hunks'> {
  return { changeId: change.id, path: change.path, taskId: change.taskId, agentId: change.agentId, toolUseId: change.toolUseId, state, beforeSha, afterSha: change.afterSha!, proposedAt: change.at };
}

function abortError(): Error {
  const err = new Error('The build was interrupted while a change awaited review');
  err.name = 'AbortError';
  return err;
}
