import type { CheckResult } from '../validation/checks';

/**
 * Runs the project's checks one run at a time. Tasks that ask while a run is under way share the
 * next run, which starts when the current one ends and so sees all their changes: eight parallel
 * tasks finishing together cost two runs, not eight queued ones.
 */
export class CheckRunner {
  private running: Promise<CheckResult[]> | undefined;
  private queued: { scopes: string[]; promise: Promise<CheckResult[]> } | undefined;

  constructor(private readonly exec: (scope: string) => Promise<CheckResult[]>) {}

  run(scope: string): Promise<CheckResult[]> {
    if (!this.running) return this.start(scope);
    if (this.queued) {
      this.queued.scopes.push(scope);
      return this.queued.promise;
    }
    const scopes = [scope];
    const promise = this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return this.start(scopes.join(', '));
      });
    this.queued = { scopes, promise };
    return promise;
  }

  private start(scope: string): Promise<CheckResult[]> {
    const run: Promise<CheckResult[]> = this.exec(scope).finally(() => {
      if (this.running === run) this.running = undefined;
    });
    this.running = run;
    return run;
  }
}
