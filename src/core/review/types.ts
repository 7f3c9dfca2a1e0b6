/**
 * The review contract between the core and its adapters (the extension's editor, tree and
 * status bar; the CLI's per-hunk prompt). The core owns every decision and its effect on disk;
 * adapters render `ReviewSnapshot` and call `BuildManager.decideReview`.
 */

/**
 * - `auto`: changes are applied and checkpointed (the CLI's default).
 * - `review`: applied at once so checks and agents go on; every hunk awaits the user's keep/undo.
 * - `approve`: nothing lands until accepted; the proposing agent waits, other tasks go on.
 */
export type ReviewMode = 'auto' | 'review' | 'approve';

export type HunkStatus = 'pending' | 'accepted' | 'rejected' | 'stale';

/** One hunk of a change, in lines (no line terminators), with no context lines around it. */
export interface ReviewHunk {
  /** Stable across reloads: `${changeId}:${index}`. */
  id: string;
  changeId: string;
  /** 1-based position of the hunk within its change. */
  index: number;
  path: string;
  taskId?: string;
  agentId: string;
  status: HunkStatus;
  /** Where the hunk's old lines start in the file before the change (1-based). */
  oldStart: number;
  oldLines: string[];
  /**
   * Where the hunk's new lines start in the file as the user sees it now: on disk for
   * `review` (already applied), in the proposed content for `approve` (1-based). For a pure
   * deletion, the line the removed lines sat before.
   */
  newStart: number;
  newLines: string[];
  /**
   * Why it was rejected (the user's words), or why it went stale: the file changed there since,
   * so accepting (approve) or undoing (review) it would overwrite what someone else wrote; it was
   * left alone and counts as decided.
   */
  reason?: string;
  proposedAt: string;
  decidedAt?: string;
}

/**
 * One change to a file with at least one hunk awaiting a decision, for rendering; its hunks
 * already decided are listed too, with their status. Two proposals to one path are two files.
 */
export interface ReviewFile {
  path: string;
  changeId: string;
  taskId?: string;
  /** `applied`: on disk, awaiting keep/undo (review mode). `proposed`: not on disk yet (approve mode). */
  state: 'applied' | 'proposed';
  /** Content before the change (null: the file did not exist). */
  before: string | null;
  /** The proposed (approve) or applied (review) content. */
  after: string;
  hunks: ReviewHunk[];
}

export interface ReviewSnapshot {
  mode: ReviewMode;
  files: ReviewFile[];
  /** Hunks still awaiting a decision, over all files. */
  pendingCount: number;
}

/** What the user decided. */
export interface ReviewDecision {
  accept: boolean;
  /** Reject only: the user's reason, carried to the agent's next request for the task. */
  reason?: string;
  /**
   * Accept only, one hunk: the user's edited version of the hunk's new lines. What lands is
   * their version; the agent is told what changed.
   */
  editedLines?: string[];
}

/** Which hunks a decision is about. */
export type ReviewTarget = { hunkId: string } | { path: string } | { all: true };
