import type { CheckSummary, MuneroEvent, UsageTotals } from '../../core';
import {
  PANEL_LIMITS,
  type AgentView,
  type BreakdownView,
  type BuildView,
  type CheckView,
  type PanelPatch,
  type PanelState,
  type TaskView,
  type TimelineEntry,
  type ToPanel,
  type TrendsView,
  type UsageView,
} from '../protocol';
import { emptyTrends } from './metricsViews';
import { timelineLine } from './timelineText';

/** Bounds of our own, on top of PANEL_LIMITS, for fields the core does not bound. */
export const MODEL_LIMITS = {
  timelineTextChars: 300,
  failuresPerCheck: 20,
  failureMessageChars: 400,
} as const;

interface Pending {
  build: boolean;
  tasks: Set<string>;
  agents: Set<string>;
  checks: boolean;
  usage: boolean;
  timeline: TimelineEntry[];
  output: Map<string, string>;
  breakdown: boolean;
  trends: boolean;
}

/**
 * Folds core events into the bounded state the progress panel shows, and collects what changed
 * since the last take as a patch. Stored views are replaced, never mutated, so a snapshot or
 * patch handed out stays valid.
 */
export class PanelModel {
  private build: BuildView | null = null;
  private tasks = new Map<string, TaskView>();
  private agents = new Map<string, AgentView>();
  private checks: CheckView[] = [];
  private usage: UsageView = emptyUsage();
  private timeline: TimelineEntry[] = [];
  private output = new Map<string, string>();
  private breakdown: BreakdownView | null = null;
  /** The workspace's, not the build's: kept when another build starts. */
  private trends: TrendsView = emptyTrends();
  private pending = emptyPending();
  /** Set by a change a patch cannot express (another build, tasks dropped by a new plan). */
  private resetDue = false;

  /** True when the panel needs a whole `reset` rather than a patch. */
  get needsReset(): boolean {
    return this.resetDue;
  }

  get buildId(): string | undefined {
    return this.build?.id;
  }

  reset(build?: BuildView): void {
    this.clear();
    this.build = build ?? null;
  }

  apply(e: MuneroEvent): void {
    switch (e.type) {
      case 'build.started':
        if (this.build?.id !== e.buildId) {
          this.clear();
          this.setBuild({ id: e.buildId, specPath: e.specPath, status: 'running', iteration: 0, maxIterations: 0 });
        } else {
          const { stopReason: _, ...rest } = this.build;
          this.setBuild({ ...rest, specPath: e.specPath, status: 'running' });
        }
        break;
      case 'build.finished':
        if (this.build) this.setBuild({ ...this.build, status: e.outcome, stopReason: e.summary });
        break;
      case 'iteration.started':
        if (this.build) this.setBuild({ ...this.build, iteration: e.iteration });
        break;
      case 'plan.accepted':
        this.acceptPlan(e.tasks);
        break;
      case 'task.started': {
        const { reason: _, ...task } = this.taskOf(e.taskId);
        this.setTask({ ...task, status: 'running', attempts: e.attempt });
        break;
      }
      case 'task.finished': {
        const { reason: _, ...task } = this.taskOf(e.taskId);
        this.setTask({ ...task, status: e.status, attempts: e.attempt, ...(e.reason ? { reason: e.reason } : {}) });
        break;
      }
      case 'agent.state':
        this.setAgent({ id: e.agentId, role: e.role, step: e.step, ...(e.taskId ? { taskId: e.taskId } : {}), ...(e.detail ? { detail: e.detail } : {}) });
        break;
      case 'agent.text':
        if (!this.agents.has(e.agentId)) this.setAgent({ id: e.agentId, role: 'agent', step: 'thinking', ...(e.taskId ? { taskId: e.taskId } : {}) });
        this.appendOutput(e.agentId, e.delta);
        break;
      case 'validation.finished':
        this.checks = e.checks.map((c) => checkView(e.scope, c));
        this.pending.checks = true;
        break;
      case 'usage':
        this.usage = usageView(e.build);
        this.pending.usage = true;
        break;
    }
    const line = timelineLine(e);
    if (line) this.note({ seq: e.seq, at: e.at, text: clip(line.text, MODEL_LIMITS.timelineTextChars), level: line.level });
  }

  /** The current build's breakdown; one of another build (a late recomputation) is ignored. */
  setBreakdown(breakdown: BreakdownView | null): void {
    if (breakdown && breakdown.buildId !== this.build?.id) return;
    this.breakdown = breakdown;
    this.pending.breakdown = true;
  }

  setTrends(trends: TrendsView): void {
    this.trends = trends;
    this.pending.trends = true;
  }

  snapshot(): PanelState {
    return {
      build: this.build,
      tasks: [...this.tasks.values()],
      agents: [...this.agents.values()],
      checks: this.checks,
      usage: this.usage,
      timeline: [...this.timeline],
      output: Object.fromEntries(this.output),
      breakdown: this.breakdown,
      trends: this.trends,
    };
  }

  /** What changed since the last take; undefined when nothing did. Clears the pending changes. */
  takePatch(): PanelPatch | undefined {
    const p = this.pending;
    this.pending = emptyPending();
    const patch: PanelPatch = {};
    if (p.build) patch.build = this.build;
    // In model order, so the panel appends new rows in the same order.
    if (p.tasks.size) patch.tasks = [...this.tasks.values()].filter((t) => p.tasks.has(t.id));
    if (p.agents.size) patch.agents = [...this.agents.values()].filter((a) => p.agents.has(a.id));
    if (p.checks) patch.checks = this.checks;
    if (p.usage) patch.usage = this.usage;
    if (p.timeline.length) patch.timeline = p.timeline;
    const output = [...p.output].filter(([id]) => this.agents.has(id)).map(([agentId, text]) => ({ agentId, text }));
    if (output.length) patch.output = output;
    if (p.breakdown) patch.breakdown = this.breakdown;
    if (p.trends) patch.trends = this.trends;
    return Object.keys(patch).length ? patch : undefined;
  }

  /** The next message for the panel: a whole reset when asked or due, else the pending patch. */
  takeUpdate(full: true): ToPanel;
  takeUpdate(full?: boolean): ToPanel | undefined;
  takeUpdate(full = false): ToPanel | undefined {
    if (full || this.resetDue) {
      this.pending = emptyPending();
      this.resetDue = false;
      return { type: 'reset', state: this.snapshot() };
    }
    const patch = this.takePatch();
    return patch && { type: 'patch', patch };
  }

  private clear(): void {
    this.build = null;
    this.tasks = new Map();
    this.agents = new Map();
    this.checks = [];
    this.usage = emptyUsage();
    this.timeline = [];
    this.output = new Map();
    this.breakdown = null;
    this.pending = emptyPending();
    this.resetDue = true;
  }

  private setBuild(build: BuildView): void {
    this.build = build;
    this.pending.build = true;
  }

  private acceptPlan(tasks: { id: string; title: string; requirements: string[] }[]): void {
    const ids = new Set(tasks.map((t) => t.id));
    if ([...this.tasks.keys()].some((id) => !ids.has(id))) this.resetDue = true;
    this.tasks = new Map();
    for (const t of tasks) this.setTask({ id: t.id, title: t.title, status: 'pending', attempts: 0, requirements: [...t.requirements] });
  }

  private taskOf(id: string): TaskView {
    return this.tasks.get(id) ?? { id, title: id, status: 'pending', attempts: 0, requirements: [] };
  }

  private setTask(task: TaskView): void {
    this.tasks.set(task.id, task);
    this.pending.tasks.add(task.id);
  }

  private setAgent(agent: AgentView): void {
    const isNew = !this.agents.has(agent.id);
    this.agents.set(agent.id, agent);
    this.pending.agents.add(agent.id);
    if (isNew && this.agents.size > PANEL_LIMITS.agents) {
      const victim = agentToEvict(this.agents.values());
      this.agents.delete(victim);
      this.output.delete(victim);
      this.pending.agents.delete(victim);
      this.pending.output.delete(victim);
    }
  }

  private appendOutput(agentId: string, delta: string): void {
    const cap = PANEL_LIMITS.outputCharsPerAgent;
    this.output.set(agentId, tailText((this.output.get(agentId) ?? '') + delta, cap));
    this.pending.output.set(agentId, tailText((this.pending.output.get(agentId) ?? '') + delta, cap));
  }

  private note(entry: TimelineEntry): void {
    pushCapped(this.timeline, entry, PANEL_LIMITS.timeline);
    pushCapped(this.pending.timeline, entry, PANEL_LIMITS.timeline);
  }
}

/**
 * The agent to drop when over the limit: the oldest finished one, else the oldest. The panel
 * applies the same rule to the upserts it receives (see webview-ui/src/state.ts).
 */
export function agentToEvict(agents: Iterable<AgentView>): string {
  let oldest: string | undefined;
  for (const a of agents) {
    if (a.step === 'done' || a.step === 'failed') return a.id;
    oldest ??= a.id;
  }
  return oldest!;
}

/** The last `cap` characters, never starting inside a surrogate pair. */
export function tailText(text: string, cap: number): string {
  if (text.length <= cap) return text;
  const tail = text.slice(text.length - cap);
  const first = tail.charCodeAt(0);
  return first >= 0xdc00 && first <= 0xdfff ? tail.slice(1) : tail;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max - 1) + '…';
}

function pushCapped<T>(list: T[], item: T, cap: number): void {
  list.push(item);
  if (list.length > cap) list.splice(0, list.length - cap);
}

function checkView(scope: string, c: CheckSummary): CheckView {
  const failures = c.failures.slice(0, MODEL_LIMITS.failuresPerCheck).map((f) => ({ ...f, message: clip(f.message, MODEL_LIMITS.failureMessageChars) }));
  return { scope, name: c.name, command: c.command, passed: c.passed, exitCode: c.exitCode, durationMs: c.durationMs, failures };
}

function usageView(u: UsageTotals): UsageView {
  return {
    inputTokens: u.inputTokens,
    outputTokens: u.outputTokens,
    cacheReadTokens: u.cacheReadTokens,
    cacheWriteTokens: u.cacheWriteTokens,
    costUsd: u.costUsd,
    requests: u.requests,
  };
}

function emptyUsage(): UsageView {
  return { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0, requests: 0 };
}

function emptyPending(): Pending {
  return { build: false, tasks: new Set(), agents: new Set(), checks: false, usage: false, timeline: [], output: new Map(), breakdown: false, trends: false };
}
