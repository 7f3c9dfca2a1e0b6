import path from 'node:path';
import { JsonDocument } from '../state/jsonDocument';
import type { BuildRecord } from '../state/workspaceState';
import { compose, computeHunks, stripTerminator, type LineHunk } from './hunks';
import type { HunkStatus, ReviewFile, ReviewMode, ReviewSnapshot } from './types';

/** A hunk's decision as kept on disk; its lines are recomputed from the change's blobs. */
export interface StoredHunk {
  status: HunkStatus;
  reason?: string;
  editedLines?: string[];
  decidedAt?: string;
}

/** One reviewed change in `.munero/builds/<id>/reviews.json`. */
export interface StoredReview {
  changeId: string;
  path: string;
  taskId?: string;
  agentId: string;
  toolUseId?: string;
  state: 'applied' | 'proposed';
  beforeSha: string | null;
  afterSha: string;
  proposedAt: string;
  hunks: StoredHunk[];
  /** approve: the decision was carried out (landed or refused) and told to the agent. */
  settled?: boolean;
  /** review: a later change to the same path took this one's place (its open hunks live on there). */
  supersededBy?: string;
}

interface ReviewsDoc {
  files: StoredReview[];
}

/** A stored review with its content and hunks, as the engine works with it. */
export interface OpenReview {
  stored: StoredReview;
  before: string | null;
  after: string;
  hunks: LineHunk[];
}

/** The reviews of one build, persisted so that decisions and pending hunks survive a reload. */
export class ReviewStore {
  private readonly doc: JsonDocument<ReviewsDoc>;

  constructor(private readonly record: BuildRecord) {
    this.doc = new JsonDocument<ReviewsDoc>(path.join(record.dir, 'reviews.json'), { files: [] });
  }

  add(review: StoredReview): void {
    this.doc.update((d) => d.files.push(review));
  }

  /** Changes one stored review (found by change id) and writes the document. */
  update(changeId: string, mutate: (r: StoredReview) => void): void {
    this.doc.update((d) => {
      const r = d.files.find((f) => f.changeId === changeId);
      if (r) mutate(r);
    });
  }

  putBlob(text: string): string {
    return this.record.blobs.put(Buffer.from(text, 'utf8'));
  }

  byChange(changeId: string): StoredReview | undefined {
    return this.doc.data.files.find((f) => f.changeId === changeId);
  }

  /** Reviews with a hunk awaiting a decision, or an approval not yet carried out. */
  open(): StoredReview[] {
    return this.doc.data.files.filter((f) => !f.supersededBy && !f.settled && (f.state === 'proposed' || f.hunks.some((h) => h.status === 'pending')));
  }

  load(stored: StoredReview): OpenReview {
    const before = stored.beforeSha ? this.record.blobs.get(stored.beforeSha).toString('utf8') : null;
    const after = this.record.blobs.get(stored.afterSha).toString('utf8');
    return { stored, before, after, hunks: computeHunks(before ?? '', after) };
  }

  snapshot(mode: ReviewMode): ReviewSnapshot {
    const files = this.open()
      .filter((f) => f.hunks.some((h) => h.status === 'pending'))
      .map((f) => toReviewFile(this.load(f)));
    return { mode, files, pendingCount: files.reduce((n, f) => n + f.hunks.filter((h) => h.status === 'pending').length, 0) };
  }
}

function toReviewFile(open: OpenReview): ReviewFile {
  const { stored, before, after, hunks } = open;
  // Applied changes: where each hunk sits on disk now, with the hunks undone so far put back.
  const onDisk = compose(before ?? '', hunks, (h) => (stored.hunks[h.index - 1].status === 'rejected' ? 'old' : 'new')).starts;
  return {
    path: stored.path,
    changeId: stored.changeId,
    taskId: stored.taskId,
    state: stored.state,
    before,
    after,
    hunks: hunks.map((h) => {
      const d = stored.hunks[h.index - 1];
      return {
        id: `${stored.changeId}:${h.index}`,
        changeId: stored.changeId,
        index: h.index,
        path: stored.path,
        taskId: stored.taskId,
        agentId: stored.agentId,
        status: d.status,
        oldStart: h.oldStart,
        oldLines: h.oldLines.map(stripTerminator),
        newStart: stored.state === 'applied' ? onDisk.get(h.index)! : h.newStart,
        newLines: h.newLines.map(stripTerminator),
        reason: d.reason,
        proposedAt: stored.proposedAt,
        decidedAt: d.decidedAt,
      };
    }),
  };
}
