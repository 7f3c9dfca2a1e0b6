import type { EventBus } from '../events/bus';
import type { AgentStep } from '../events/types';

export interface AgentRecord {
  id: string;
  role: string;
  taskId?: string;
  step: AgentStep;
  since: string;
  /** The newest state changes, with timestamps (bounded). */
  history: { step: AgentStep; at: string; detail?: string }[];
}

const HISTORY = 20;

/**
 * The agents of a running build: their lifecycle states with timestamps, and a way to cancel one
 * agent without stopping the build (its task is escalated; the rest go on).
 */
export class AgentManager {
  private readonly agents = new Map<string, AgentRecord>();
  private readonly controllers = new Map<string, AbortController>();
  private readonly subscription: { unsubscribe(): void };

  constructor(bus: EventBus) {
    this.subscription = bus.on('agent.state').subscribe((e) => {
      const known = this.agents.get(e.agentId);
      const entry = { step: e.step, at: e.at, ...(e.detail ? { detail: e.detail } : {}) };
      const record: AgentRecord = known ?? { id: e.agentId, role: e.role, taskId: e.taskId, step: e.step, since: e.at, history: [] };
      if (record.step !== e.step) record.since = e.at;
      record.step = e.step;
      record.history = [...record.history, entry].slice(-HISTORY);
      this.agents.set(e.agentId, record);
    });
  }

  /** An abort signal for one agent: aborted with the build, or alone by `cancel(agentId)`. */
  signalFor(agentId: string, build: AbortSignal): AbortSignal {
    const own = new AbortController();
    this.controllers.set(agentId, own);
    return AbortSignal.any([build, own.signal]);
  }

  /** Cancels one agent. False when no such agent is running. */
  cancel(agentId: string): boolean {
    const controller = this.controllers.get(agentId);
    const record = this.agents.get(agentId);
    if (!controller || !record || record.step === 'done' || record.step === 'failed') return false;
    controller.abort('agent-cancelled');
    return true;
  }

  /** The agent of this task (coder, reviewer or reflector) that the user cancelled, if any. */
  cancelledAgentOf(taskId: string): string | undefined {
    for (const [id, controller] of this.controllers) {
      if (controller.signal.aborted && this.agents.get(id)?.taskId === taskId) return id;
    }
    return undefined;
  }

  list(): AgentRecord[] {
    return [...this.agents.values()].map((a) => ({ ...a, history: [...a.history] }));
  }

  dispose(): void {
    this.subscription.unsubscribe();
  }
}
