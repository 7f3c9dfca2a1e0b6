import path from 'node:path';
import { BuildManager, type BuildFlags, type BuildResult, type BuildState, type EngineEnv, type McpSettings, type MuneroEvent } from '../core';

export interface SessionStatus {
  running: boolean;
  buildId?: string;
  status?: BuildState['status'];
  stopReason?: string;
  iteration?: number;
  maxIterations?: number;
  requirements?: BuildState['requirements'];
  usage?: BuildState['usage'];
  /** Why the last start or resume in this server failed after it returned its id. */
  lastError?: string;
}

/**
 * One workspace's builds as the MCP server runs them: a build starts in the background of this
 * process and its id comes back at once; status, report and events read the state files.
 */
export class BuildSession {
  readonly manager: BuildManager;
  private running: Promise<BuildResult> | undefined;
  private lastError: string | undefined;

  /** `mcp`: the MCP servers the build's own agents use, under the CLI's rules (absent: none). */
  constructor(workspaceRoot: string, env: EngineEnv, mcp?: McpSettings) {
    // Nobody answers per-hunk questions over MCP: changes apply at once (the review mode `auto`).
    this.manager = new BuildManager({ workspaceRoot, env, reviewMode: 'auto', mcp, program: 'munero mcp, for an MCP client' });
  }

  /** Stops the MCP servers the builds' agents used. */
  dispose(): Promise<void> {
    return this.manager.mcp.dispose();
  }

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  /** Resolves to the new build's id as soon as it has one; refusals (bad spec, no key, a lock) reject. */
  start(spec: string, flags: BuildFlags): Promise<string> {
    const resolved = path.resolve(this.manager.workspaceRoot, spec);
    const rel = path.relative(this.manager.workspaceRoot, resolved);
    if (rel.startsWith('..') || path.isAbsolute(rel)) return Promise.reject(new Error(`The spec "${spec}" is outside the workspace ${this.manager.workspaceRoot}.`));
    return this.launch(() => this.manager.start(resolved, { ...flags, reviewMode: 'auto' }));
  }

  resume(flags: BuildFlags): Promise<string> {
    return this.launch(() => this.manager.resume({ ...flags, reviewMode: 'auto' }));
  }

  /** Stops the running build at its next safe point: `pause` keeps it resumable as paused, `cancel` ends it as cancelled. */
  cancel(mode: 'pause' | 'cancel'): boolean {
    if (!this.running) return false;
    this.manager.cancel(mode === 'pause' ? 'interrupt' : 'cancel');
    return true;
  }

  /** Waits for the running build (if any) to end, at most `ms`; true when none runs any more. */
  async settled(ms: number): Promise<boolean> {
    const run = this.running;
    if (!run) return true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
    try {
      return await Promise.race([run.then(() => true, () => true), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  status(): SessionStatus {
    const state = this.manager.status();
    if (!state) return { running: this.isRunning, lastError: this.lastError };
    return {
      running: this.isRunning,
      buildId: state.id,
      status: state.status,
      stopReason: state.stopReason,
      iteration: state.iteration,
      maxIterations: state.options.maxIterations,
      requirements: state.requirements,
      usage: state.usage,
      lastError: this.lastError,
    };
  }

  /** The current build's events, the last `limit` of them. */
  recentEvents(limit: number): { total: number; events: MuneroEvent[] } {
    const all = this.manager.events();
    return { total: all.length, events: all.slice(-limit) };
  }

  private async launch(run: () => Promise<BuildResult>): Promise<string> {
    if (this.running) throw new Error('A build is already running in this server; follow it with build_status, or stop it with cancel_build.');
    this.lastError = undefined;
    let onStarted: (id: string) => void = () => {};
    const started = new Promise<string>((resolve) => (onStarted = resolve));
    const subscription = this.manager.bus.on('build.started').subscribe((e) => onStarted(e.buildId));
    const build = run();
    this.running = build;
    build
      .catch((err: unknown) => {
        this.lastError = err instanceof Error ? err.message : String(err);
      })
      .finally(() => {
        subscription.unsubscribe();
        if (this.running === build) this.running = undefined;
      });
    return Promise.race([started, build.then((r) => r.buildId)]);
  }
}
