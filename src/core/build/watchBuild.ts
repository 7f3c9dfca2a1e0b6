import path from 'node:path';
import type { BuildOutcome, MuneroEvent } from '../events/types';
import type { LockInfo } from '../state/errors';
import type { NoteSink } from '../state/jsonLines';
import { JsonLinesTail } from '../state/jsonLinesTail';
import { stillHeld, type WorkspaceLock } from '../state/lock';

export interface WatchOptions {
  /** Stops watching (not the build). */
  signal?: AbortSignal;
  /**
   * Publish the events numbered after this one. Default: the current run of the build, from its
   * last `build.started` (at most `backlog` events of it, plus that event and the last plan).
   */
  fromSeq?: number;
  /** How long to wait between looks at a quiet log; default 150 ms. */
  pollMs?: number;
  /** Cap on the events of the current run replayed when starting; default 2,000. */
  backlog?: number;
  /** Told of damaged lines skipped in the log (else a damaged line ends the watch with an error). */
  onNote?: NoteSink;
}

export type WatchEnd =
  /** Nobody holds the lock: there is no build to watch. */
  | { kind: 'idle' }
  | { kind: 'finished'; holder: LockInfo; buildId: string; outcome: BuildOutcome; summary: string; unmet: string[] }
  /** The holder let go of the lock (or died) without logging the end of its build. */
  | { kind: 'gone'; holder: LockInfo; buildId: string }
  | { kind: 'stopped'; holder: LockInfo; buildId: string };

/**
 * Follows the build another process is running in this workspace through its append-only event
 * log (`.munero/builds/<id>/events.jsonl`), publishing each event as it is logged, until the
 * build logs its end, its process lets go of the lock or dies, or `signal` stops the watch.
 */
export async function watchBuild(lock: WorkspaceLock, buildsDir: string, publish: (e: MuneroEvent) => void, options: WatchOptions = {}): Promise<WatchEnd> {
  const holder = lock.liveHolder();
  if (!holder) return { kind: 'idle' };
  const buildId = holder.buildId;
  const tail = new JsonLinesTail(path.join(buildsDir, buildId, 'events.jsonl'), undefined, options.onNote);
  const pollMs = options.pollMs ?? 150;
  let lastSeq = options.fromSeq ?? 0;
  let finished: Extract<MuneroEvent, { type: 'build.finished' }> | undefined;

  const take = (events: MuneroEvent[]) => {
    for (const e of events) {
      if (e.seq <= lastSeq) continue;
      lastSeq = e.seq;
      publish(e);
      // A resumed build's log holds the end of each earlier run: only the last run's end counts.
      if (e.type === 'build.started') finished = undefined;
      if (e.type === 'build.finished' && e.buildId === buildId) finished = e;
    }
  };
  /** What is logged so far, read in bounded chunks; `caughtUp` when nothing more is on disk. */
  const drain = (): { events: MuneroEvent[]; caughtUp: boolean } => {
    const events: MuneroEvent[] = [];
    for (;;) {
      const next = tail.read();
      events.push(...(next.values as MuneroEvent[]));
      if (!next.more) return { events, caughtUp: true };
      if (events.length > 10_000) return { events, caughtUp: false };
    }
  };

  if (options.fromSeq === undefined) take(currentRun(tail, options.backlog ?? 2000));
  for (;;) {
    if (options.signal?.aborted) return { kind: 'stopped', holder, buildId };
    const { events, caughtUp } = drain();
    take(events);
    if (finished && caughtUp) break;
    if (events.length) continue;
    if (!stillHeld(lock, holder)) {
      // The holder's last lines are on disk before it lets go of the lock.
      for (let rest = drain(); ; rest = drain()) {
        take(rest.events);
        if (rest.caughtUp) break;
      }
      if (!finished) return { kind: 'gone', holder, buildId };
      break;
    }
    await sleep(pollMs, options.signal);
  }
  const end = finished!;
  return { kind: 'finished', holder, buildId, outcome: end.outcome, summary: end.summary, unmet: end.unmet };
}

/**
 * The events of the log's current run, from its last `build.started`, and the plan it works to:
 * what a watcher needs to show the build as it stands. A long run keeps its start, its last plan
 * and its latest events.
 */
function currentRun(tail: JsonLinesTail, cap: number): MuneroEvent[] {
  let started: MuneroEvent | undefined;
  let plan: MuneroEvent | undefined;
  let recent: MuneroEvent[] = [];
  for (let more = true; more; ) {
    const next = tail.read();
    more = next.more;
    for (const e of next.values as MuneroEvent[]) {
      if (e.type === 'build.started') {
        started = e;
        recent = [];
        continue;
      }
      if (e.type === 'plan.accepted') plan = e;
      recent.push(e);
      if (recent.length > cap * 2) recent = recent.slice(-cap);
    }
  }
  recent = recent.slice(-cap);
  // The last plan may come from an earlier run of a resumed build: it goes first, in log order.
  const head = [plan && !recent.includes(plan) ? plan : undefined, started].filter((e): e is MuneroEvent => e !== undefined).sort((a, b) => a.seq - b.seq);
  return [...head, ...recent];
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
