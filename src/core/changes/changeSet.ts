import fs from 'node:fs';
import path from 'node:path';
import type { EventBus } from '../events/bus';
import { sha256 } from '../state/blobs';
import { JsonLinesWriter, readJsonLines } from '../state/jsonLines';
import { killPoint } from '../state/killPoint';
import { plural } from '../plural';
import type { BuildRecord } from '../state/workspaceState';
import type { ReviewMode } from '../review/types';
import { assertSafeToWrite, readFileSafely, removeFileSafely, removeTornWrites, writeFileSafely, type WriteRules } from './safeWrite';
import type { ChangeSink, ProposalResult, ProposedWrite } from './types';

export type ChangeStatus = 'proposed' | 'accepted' | 'applied' | 'rejected';

/** What made a change: an agent's tool, a command it ran (seen afterwards), a rollback, or the user undoing a hunk in review. */
export type ChangeTool = ProposedWrite['tool'] | 'command' | 'rollback' | 'review';

/** One line of `changes.jsonl`. A change's lines move it through proposed → accepted → applied. */
export interface ChangeRecord {
  id: string;
  agentId: string;
  taskId?: string;
  /** The tool call that made it: on resume, a call already applied is answered from here. */
  toolUseId?: string;
  path: string;
  tool: ChangeTool;
  beforeSha: string | null;
  /** null: the change removed the file (only a command or a rollback does that). */
  afterSha: string | null;
  /** For a command, the command; for a rollback, the checkpoint it restored. */
  label?: string;
  status: ChangeStatus;
  reason?: string;
  at: string;
}

/**
 * What review does with an agent's change (review/desk.ts). Without one, or in `auto` mode,
 * every change is applied at once.
 */
export interface ChangeReview {
  mode(): ReviewMode;
  /** `approve`: resolves once every hunk is decided and what the user accepted has landed. */
  awaitApproval(change: ChangeRecord, before: string | null, after: string, signal?: AbortSignal): Promise<ProposalResult>;
  /** `review`: the change is on disk; its hunks await keep or undo. */
  noteApplied(change: ChangeRecord, before: string | null, after: string): void;
  /** A proposal of this change awaits (or was given) the user's decision. */
  hasProposal(changeId: string): boolean;
}

const AUTO_ACCEPT: ChangeReview = {
  mode: () => 'auto',
  awaitApproval: () => Promise.reject(new Error('auto mode approves nothing')),
  noteApplied: () => {},
  hasProposal: () => false,
};

export interface ChangeOrigin {
  agentId: string;
  taskId?: string;
  toolUseId?: string;
}

/** The changes layer of one build: every agent write is proposed, reviewed, checkpointed, applied, logged. */
export class ChangeSet {
  private readonly latest = new Map<string, ChangeRecord>();
  private readonly byToolUse = new Map<string, ChangeRecord>();
  private readonly pending = new Map<string, string>();
  /** Per agent, the hash of each path's content when the agent last read it (null: absent). */
  private readonly seen = new Map<string, Map<string, string | null>>();
  /** Per path, the newest applied change. */
  private readonly lastApplied = new Map<string, ChangeRecord>();
  private counter = 0;
  /** The build's spec is never written, however a path reaches it. */
  readonly rules: WriteRules;
  /** Until a review is attached, every change is applied at once. */
  private review: ChangeReview = AUTO_ACCEPT;

  constructor(
    private readonly record: BuildRecord,
    private readonly workspaceRoot: string,
    private readonly bus: EventBus,
  ) {
    for (const line of readJsonLines<ChangeRecord>(record.changeLogFile(), record.note)) this.remember(line);
    for (const r of readJsonLines<{ agentId: string; path: string; sha: string | null }>(this.readsFile(), record.note)) this.see(r.agentId, r.path, r.sha);
    this.counter = this.latest.size;
    this.rules = { protectedPaths: record.state.specPath ? [record.state.specPath] : [] };
  }

  /**
   * Finishes changes that were accepted but not yet on disk when the process died: only the
   * newest change to a path, and only while the disk still holds its "before" (or already its
   * "after") bytes. Anything else was superseded or changed by hand and is marked rejected.
   */
  recoverAccepted(): string[] {
    const torn = removeTornWrites(this.workspaceRoot, this.record.checkpoints.touchedFiles());
    if (torn.length) this.bus.emit({ type: 'log', level: 'info', message: `Removed ${plural(torn.length, 'temporary file')} left by a write cut short: ${torn.join(', ')}` });
    const recovered: string[] = [];
    const newest = new Map<string, ChangeRecord>();
    for (const c of this.latest.values()) if (c.status !== 'rejected') newest.set(c.path, c);
    for (const change of [...this.latest.values()]) {
      if (change.status !== 'accepted') continue;
      const onDisk = this.shaOnDisk(change.path);
      const current = newest.get(change.path) === change && (onDisk === change.beforeSha || onDisk === change.afterSha);
      if (!current) {
        this.log({ ...change, status: 'rejected', reason: 'superseded before it reached the disk', at: new Date().toISOString() });
        continue;
      }
      try {
        this.apply(change, this.record.blobs.get(change.afterSha!));
        recovered.push(change.path);
      } catch (err) {
        this.log({ ...change, status: 'rejected', reason: `could not be written: ${(err as Error).message}`, at: new Date().toISOString() });
      }
    }
    return recovered;
  }

  /** A review that needs this change set to land what it decides is attached once both exist. */
  attachReview(review: ChangeReview): void {
    this.review = review;
  }

  all(): ChangeRecord[] {
    return [...this.latest.values()];
  }

  sinkFor(origin: ChangeOrigin, signal?: AbortSignal): ChangeSink {
    return {
      propose: (write) => this.propose(write, origin, signal),
      pendingContent: (rel) => this.pending.get(rel),
      noteRead: (rel) => this.noteSeen(origin.agentId, rel),
    };
  }

  /** The newest applied change to each path: what Munero last wrote (or saw a command write) there. */
  lastAppliedTo(rel: string): ChangeRecord | undefined {
    return this.lastApplied.get(rel);
  }

  /**
   * Logs changes already on disk that no tool proposed (a command's writes, a rollback), so the
   * audit log, conflict checks and later rollbacks see them like any other applied change.
   */
  recordApplied(
    files: { path: string; beforeSha: string | null; afterSha: string | null }[],
    origin: ChangeOrigin,
    tool: 'command' | 'rollback' | 'review',
    label: string,
  ): ChangeRecord[] {
    return files.map((f) => {
      const change: ChangeRecord = { id: `c${++this.counter}`, ...origin, ...f, tool, label, status: 'applied', at: new Date().toISOString() };
      this.log(change);
      return change;
    });
  }

  /** Applied changes made by these agents, oldest first. */
  appliedBy(agentIds: string[]): ChangeRecord[] {
    const ids = new Set(agentIds);
    return [...this.latest.values()].filter((c) => c.status === 'applied' && ids.has(c.agentId));
  }

  /** Kept in `reads.jsonl` too: an agent resumed after a kill has still read what it read. */
  private noteSeen(agentId: string, rel: string): void {
    const sha = this.shaOnDisk(rel);
    if (this.seen.has(agentId) && this.seen.get(agentId)!.get(rel) === sha) return;
    this.see(agentId, rel, sha);
    const writer = new JsonLinesWriter(this.readsFile());
    writer.append({ agentId, path: rel, sha });
    writer.close();
  }

  private see(agentId: string, rel: string, sha: string | null): void {
    let seen = this.seen.get(agentId);
    if (!seen) this.seen.set(agentId, (seen = new Map()));
    seen.set(rel, sha);
  }

  private readsFile(): string {
    return path.join(this.record.dir, 'reads.jsonl');
  }

  /**
   * Another task's applied change to this path that the proposing agent has not seen. Its own
   * task's earlier attempts do not count: a retry builds on them by design. Nor does a rollback:
   * it is no other task's work, and a task resumed after one starts on the files it restored.
   */
  private conflictFor(rel: string, origin: ChangeOrigin, onDisk: string | null): ChangeRecord | undefined {
    const last = this.lastApplied.get(rel);
    if (!last || last.tool === 'rollback' || last.taskId === origin.taskId || last.agentId === origin.agentId) return undefined;
    if (last.afterSha !== onDisk) return undefined;
    const saw = this.seen.get(origin.agentId)?.get(rel);
    return saw === onDisk ? undefined : last;
  }

  private async propose(write: ProposedWrite, origin: ChangeOrigin, signal?: AbortSignal): Promise<ProposalResult> {
    const done = origin.toolUseId ? this.byToolUse.get(origin.toolUseId) : undefined;
    if (done && done.status !== 'proposed') {
      if (done.status === 'accepted') this.apply(done, this.record.blobs.get(done.afterSha!));
      return resultOf(this.latest.get(done.id)!);
    }
    // A resumed call whose proposal awaited review: it waits again, or lands what was decided meanwhile.
    if (done && this.review.hasProposal(done.id)) return this.review.awaitApproval(done, null, write.content, signal);
    // Early and cheap, so the model hears at once; the write itself checks again.
    assertSafeToWrite(this.workspaceRoot, write.path, this.rules);
    const beforeBytes = readFileSafely(this.workspaceRoot, write.path)?.data;
    const afterBytes = Buffer.from(write.content, 'utf8');
    const conflict = this.conflictFor(write.path, origin, beforeBytes ? sha256(beforeBytes) : null);
    const change: ChangeRecord = {
      id: `c${++this.counter}`,
      ...origin,
      path: write.path,
      tool: write.tool,
      beforeSha: beforeBytes ? sha256(beforeBytes) : null,
      afterSha: this.record.blobs.put(afterBytes),
      status: 'proposed',
      at: new Date().toISOString(),
    };
    this.log(change);
    if (conflict) {
      const reason = `${write.path} was changed by task ${conflict.taskId ?? conflict.agentId} after you last read it; read it again and apply your change on top of theirs (edit_file keeps both)`;
      this.log({ ...change, status: 'rejected', reason });
      return resultOf(this.latest.get(change.id)!);
    }
    this.pending.set(write.path, write.content);
    const before = beforeBytes ? beforeBytes.toString('utf8') : null;
    const mode = this.review.mode();
    try {
      if (mode === 'approve') return await this.review.awaitApproval(change, before, write.content, signal);
      this.record.checkpoints.recordOriginal(write.path);
      this.log({ ...change, status: 'accepted' });
      try {
        this.apply(this.latest.get(change.id)!, afterBytes);
      } catch (err) {
        // A write that failed must not linger as "accepted": a resume would re-apply stale bytes.
        this.log({ ...change, status: 'rejected', reason: `could not be written: ${(err as Error).message}` });
        throw err;
      }
      this.noteSeen(origin.agentId, write.path);
      this.bus.emit({ type: 'change.applied', changeId: change.id, taskId: origin.taskId, path: write.path, created: !beforeBytes });
      if (mode === 'review') this.review.noteApplied(change, before, write.content);
      return resultOf(this.latest.get(change.id)!);
    } finally {
      this.pending.delete(write.path);
    }
  }

  /**
   * Lands what review decided for a proposed change: these bytes (the accepted hunks, carried onto
   * the file as it is now), or nothing. Checked and written through the one door like any write.
   */
  landApproved(change: ChangeRecord, bytes: Buffer | null, reason: string): void {
    if (!bytes) {
      this.log({ ...change, status: 'rejected', reason, at: new Date().toISOString() });
      return;
    }
    const abs = path.join(this.workspaceRoot, change.path);
    const created = !fs.existsSync(abs);
    this.record.checkpoints.recordOriginal(change.path);
    const accepted: ChangeRecord = { ...change, afterSha: this.record.blobs.put(bytes), status: 'accepted', reason, at: new Date().toISOString() };
    this.log(accepted);
    try {
      this.apply(accepted, bytes);
    } catch (err) {
      this.log({ ...accepted, status: 'rejected', reason: `could not be written: ${(err as Error).message}` });
      throw err;
    }
    this.noteSeen(change.agentId, change.path);
    this.bus.emit({ type: 'change.applied', changeId: change.id, taskId: change.taskId, path: change.path, created });
  }

  /** The user undid a hunk in review: the file's new content (null: remove it), logged as a change of theirs. */
  writeReviewed(rel: string, text: string | null, origin: ChangeOrigin, label: string): void {
    const beforeSha = this.shaOnDisk(rel);
    if (text === null) removeFileSafely(this.workspaceRoot, rel, this.rules);
    else writeFileSafely(this.workspaceRoot, rel, Buffer.from(text, 'utf8'), this.rules);
    const afterSha = text === null ? null : this.record.blobs.put(Buffer.from(text, 'utf8'));
    this.recordApplied([{ path: rel, beforeSha, afterSha }], origin, 'review', label);
  }

  /** The hash of a workspace file, read through the door: null when absent or behind a link. */
  private shaOnDisk(rel: string): string | null {
    const file = readFileSafely(this.workspaceRoot, rel);
    return file ? sha256(file.data) : null;
  }

  private apply(change: ChangeRecord, bytes: Buffer): void {
    const onDisk = this.shaOnDisk(change.path);
    if (onDisk !== change.afterSha) writeFileSafely(this.workspaceRoot, change.path, bytes, this.rules);
    killPoint('file:written');
    this.log({ ...change, status: 'applied', at: new Date().toISOString() });
  }

  private log(change: ChangeRecord): void {
    this.record.changeLog.append(change);
    this.remember(change);
  }

  private remember(change: ChangeRecord): void {
    this.latest.set(change.id, change);
    if (change.status === 'applied') this.lastApplied.set(change.path, change);
    if (change.toolUseId) this.byToolUse.set(change.toolUseId, change);
  }
}

function resultOf(change: ChangeRecord): ProposalResult {
  const status = change.status === 'rejected' ? 'rejected' : change.status === 'applied' ? 'applied' : 'pending';
  return { changeId: change.id, status, reason: change.reason };
}
