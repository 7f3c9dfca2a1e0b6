import * as vscode from 'vscode';
import { addUsage, emptyUsage, type BuildManager, type BuildState, type LockInfo, type MuneroEvent, type UsageTotals } from '../core';

export interface AgentLive {
  id: string;
  role: string;
  taskId?: string;
  step: string;
  detail?: string;
  usage?: UsageTotals;
}

export const RUNNING_ELSEWHERE = 'running elsewhere';

const MILESTONES = new Set<MuneroEvent['type']>([
  'build.started',
  'plan.accepted',
  'iteration.started',
  'iteration.finished',
  'task.started',
  'task.finished',
  'validation.finished',
  'build.finished',
]);

/**
 * What the sidebar and status bar show: the build document on disk, plus the agents' live steps
 * from the event bus. A projection only; the core's state is the source of truth.
 */
export class LiveBuild implements vscode.Disposable {
  private current: BuildState | undefined;
  private readonly agentsById = new Map<string, AgentLive>();
  /** agentsById grouped by task, built when first asked after a change: the tree asks per task row. */
  private byTask: Map<string | undefined, AgentLive[]> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly subscription: { unsubscribe(): void };
  private timer: NodeJS.Timeout | undefined;
  private pending = false;
  private stale = true;
  running = false;
  /** Another process (a terminal, another window) holds the workspace lock: its build runs there. */
  heldElsewhere: LockInfo | undefined;
  /** The error that stopped reading state (a corrupted file), shown instead of the tree. */
  readError: Error | undefined;
  /** What the core repaired in damaged state files (each naming the file), newest last; shown until the next build. */
  readonly repairs: string[] = [];

  readonly onDidChange = this.changed.event;

  constructor(private readonly manager: BuildManager) {
    this.subscription = manager.bus.events$.subscribe((e) => this.onEvent(e));
  }

  get state(): BuildState | undefined {
    if (this.stale) this.reload();
    return this.current;
  }

  get agents(): AgentLive[] {
    if (this.stale) this.reload();
    return [...this.agentsById.values()];
  }

  agentsOf(taskId: string | undefined): AgentLive[] {
    if (this.stale) this.reload();
    if (!this.byTask) {
      this.byTask = new Map();
      for (const a of this.agentsById.values()) {
        const list = this.byTask.get(a.taskId);
        if (list) list.push(a);
        else this.byTask.set(a.taskId, [a]);
      }
    }
    return [...(this.byTask.get(taskId) ?? [])];
  }

  /**
   * The status to show. A document that says running while no process here runs it was
   * interrupted, unless another process holds the lock: then it runs elsewhere (Watch follows it).
   */
  statusOf(state: BuildState): string {
    if (state.status !== 'running' || this.running) return state.status;
    return this.heldElsewhere ? RUNNING_ELSEWHERE : 'interrupted';
  }

  /** Re-reads the state document at the next look. */
  invalidate(): void {
    this.stale = true;
    this.fire();
  }

  dispose(): void {
    this.subscription.unsubscribe();
    this.changed.dispose();
    if (this.timer) clearTimeout(this.timer);
  }

  private reload(): void {
    this.stale = false;
    const holder = this.running ? undefined : this.manager.lockHolder();
    this.heldElsewhere = holder && holder.pid !== process.pid ? holder : undefined;
    try {
      this.current = this.manager.status();
      this.readError = undefined;
      for (const note of this.manager.stateNotes()) if (!this.repairs.includes(note)) this.repairs.push(note);
    } catch (err) {
      this.current = undefined;
      this.readError = err as Error;
    }
    for (const [id, usage] of Object.entries(this.current?.usageByAgent ?? {})) {
      const known = this.agentsById.get(id);
      if (known) known.usage = usage;
      else this.agentsById.set(id, { id, ...roleOf(id), step: 'done', usage });
    }
    this.byTask = undefined;
  }

  private onEvent(e: MuneroEvent): void {
    if (e.type === 'build.started') {
      this.agentsById.clear();
      this.repairs.length = 0;
      this.byTask = undefined;
      this.running = true;
    }
    if (e.type === 'build.finished') this.running = false;
    if (e.type === 'agent.state') {
      const known = this.agentsById.get(e.agentId);
      this.agentsById.set(e.agentId, { ...known, id: e.agentId, role: e.role, taskId: e.taskId, step: e.step, detail: e.detail });
      this.byTask = undefined;
    } else if (e.type === 'usage') {
      const known = this.agentsById.get(e.agentId);
      if (known) addUsage((known.usage ??= emptyUsage()), e.request);
    } else if (!MILESTONES.has(e.type)) {
      return;
    }
    if (MILESTONES.has(e.type)) this.stale = true;
    this.fire();
  }

  /**
   * Coalesces bursts of events: the first change after a quiet spell is shown at once (a build's
   * first row appears without delay), later ones at most every 80 ms.
   */
  private fire(): void {
    if (this.timer) {
      this.pending = true;
      return;
    }
    this.changed.fire();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.pending) {
        this.pending = false;
        this.fire();
      }
    }, 80);
  }
}

function roleOf(agentId: string): { role: string; taskId?: string } {
  const coder = /^coder-(.+)-a\d+$/.exec(agentId);
  return coder ? { role: 'coder', taskId: coder[1] } : { role: agentId };
}
