/// <reference lib="dom" />
import { PANEL_LIMITS, type AgentView, type PanelPatch, type PanelState } from '../../src/extension/protocol';

export function emptyState(): PanelState {
  return {
    build: null,
    tasks: [],
    agents: [],
    checks: [],
    usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0, requests: 0 },
    timeline: [],
    output: {},
    breakdown: null,
    trends: { builds: [], series: [] },
  };
}

/** A saved state if it looks like one (it may come from an older panel), else an empty state. */
export function restoreState(saved: unknown): PanelState {
  const s = saved as Partial<PanelState> | undefined;
  const ok = !!s && typeof s === 'object' && Array.isArray(s.tasks) && Array.isArray(s.agents) && Array.isArray(s.checks) && Array.isArray(s.timeline) && !!s.usage && !!s.output;
  if (!ok) return emptyState();
  const state = s as PanelState;
  // A state saved by a panel from before the breakdown and trends gets them empty.
  state.breakdown ??= null;
  state.trends ??= emptyState().trends;
  return state;
}

/**
 * Applies a patch in place, within the same limits and by the same rules as the extension's
 * PanelModel (src/extension/panel/panelModel.ts), so both hold the same state. Returns the
 * agents dropped to stay within the limit.
 */
export function applyPatch(state: PanelState, patch: PanelPatch): string[] {
  const evicted: string[] = [];
  if (patch.build !== undefined) state.build = patch.build;
  if (patch.tasks) {
    for (const task of patch.tasks) {
      const i = state.tasks.findIndex((t) => t.id === task.id);
      if (i >= 0) state.tasks[i] = task;
      else state.tasks.push(task);
    }
  }
  if (patch.agents) {
    for (const agent of patch.agents) {
      const i = state.agents.findIndex((a) => a.id === agent.id);
      if (i >= 0) {
        state.agents[i] = agent;
        continue;
      }
      state.agents.push(agent);
      if (state.agents.length > PANEL_LIMITS.agents) {
        const victim = agentToEvict(state.agents);
        state.agents = state.agents.filter((a) => a.id !== victim);
        delete state.output[victim];
        evicted.push(victim);
      }
    }
  }
  if (patch.checks) state.checks = patch.checks;
  if (patch.usage) state.usage = patch.usage;
  if (patch.timeline) {
    state.timeline.push(...patch.timeline);
    if (state.timeline.length > PANEL_LIMITS.timeline) state.timeline.splice(0, state.timeline.length - PANEL_LIMITS.timeline);
  }
  if (patch.breakdown !== undefined) state.breakdown = patch.breakdown;
  if (patch.trends) state.trends = patch.trends;
  for (const { agentId, text } of patch.output ?? []) {
    if (!state.agents.some((a) => a.id === agentId)) continue;
    state.output[agentId] = tailText((state.output[agentId] ?? '') + text, PANEL_LIMITS.outputCharsPerAgent);
  }
  return evicted;
}

/** The oldest finished agent, else the oldest. */
export function agentToEvict(agents: readonly AgentView[]): string {
  return (agents.find((a) => a.step === 'done' || a.step === 'failed') ?? agents[0]!).id;
}

/** The last `cap` characters, never starting inside a surrogate pair. */
export function tailText(text: string, cap: number): string {
  if (text.length <= cap) return text;
  const tail = text.slice(text.length - cap);
  const first = tail.charCodeAt(0);
  return first >= 0xdc00 && first <= 0xdfff ? tail.slice(1) : tail;
}
