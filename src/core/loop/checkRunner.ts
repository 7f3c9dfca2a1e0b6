import type { CheckResult } from '../validation/checks';

/**
 * Runs the project's checks, at most `maxConcurrent` runs at a time (one unless the workspace
 * allows overlapping runs). Tasks that ask while no run may start share the next run, which
 * starts when one ends and so sees all their changes: eight parallel tasks finishing together
 * cost two runs, not eight queued ones. A shared run covers the union of what each asked.
 */
export class CheckRunner {
  private readonly running = new Set<Promise<CheckResult[]>>();
  private queued: { scopes: string[]; taskIds?: string[]; promise: Promise<CheckResult[]> } | undefined;

  constructor(
    private readonly exec: (scope: string, taskIds?: string[]) => Promise<CheckResult[]>,
    private readonly maxConcurrent = 1,
  ) {}

  /** A scope alone runs the whole suite; `taskIds` narrows it to what those tasks' changes can affect. */
  run(scope: string, taskIds?: string[]): Promise<CheckResult[]> {
    if (this.running.size < this.maxConcurrent && !this.queued) return this.start(scope, taskIds);
    if (this.queued) {
      const q = this.queued;
      q.scopes.push(scope);
      q.taskIds = q.taskIds && taskIds ? [...new Set([...q.taskIds, ...taskIds])] : undefined;
      return q.promise;
    }
    const promise = Promise.race([...this.running].map((p) => p.catch(() => undefined))).then(() => {
      const q = this.queued!;
      this.queued = undefined;
      return this.start(q.scopes.join(', '), q.taskIds);
    });
    this.queued = { scopes: [scope], taskIds, promise };
    return promise;
  }

  private start(scope: string, taskIds?: string[]): Promise<CheckResult[]> {
    const run: Promise<CheckResult[]> = this.exec(scope, taskIds).finally(() => this.running.delete(run));
    this.running.add(run);
    return run;
  }
}
