/// <reference lib="dom" />
import type { FromPanel, PanelPatch, PanelState } from '../../../src/extension/protocol';
import { h } from '../dom';
import { AgentList } from './agents';
import { BreakdownChart } from './breakdown';
import { CheckList } from './checks';
import { Header } from './header';
import { PlanList } from './plan';
import { Timeline } from './timeline';
import { TrendCharts } from './trends';

/** The whole panel: built once, then reset or patched section by section. */
export class PanelView {
  private readonly header: Header;
  private readonly breakdown = new BreakdownChart();
  private readonly plan = new PlanList();
  private readonly agents = new AgentList();
  private readonly checks: CheckList;
  private readonly trends = new TrendCharts();
  private readonly timeline = new Timeline();
  private readonly empty = h('p', { id: 'empty' }, 'No build yet. Right-click a spec and choose Munero: Build from Spec.');

  constructor(root: HTMLElement, post: (message: FromPanel) => void) {
    this.header = new Header((command) => post({ type: 'command', command }));
    this.checks = new CheckList((path, line) => post({ type: 'openFile', path, line }));
    root.replaceChildren(this.empty, this.header.root, this.breakdown.root, this.plan.root, this.agents.root, this.checks.root, this.trends.root, this.timeline.root);
  }

  reset(state: PanelState): void {
    this.header.render(state.build, state.usage);
    this.plan.reset(state.tasks);
    this.agents.reset(state.agents, state.output);
    this.checks.render(state.checks);
    this.breakdown.render(state.breakdown);
    this.trends.render(state.trends);
    this.timeline.reset(state.timeline);
    this.updateEmpty(state);
  }

  /** `state` already has the patch applied; `evicted` are the agents it dropped. */
  patch(state: PanelState, patch: PanelPatch, evicted: string[]): void {
    if (patch.build !== undefined || patch.usage) this.header.render(state.build, state.usage);
    if (patch.tasks) this.plan.upsert(patch.tasks);
    if (evicted.length) this.agents.remove(evicted);
    if (patch.agents) this.agents.upsert(patch.agents.filter((a) => !evicted.includes(a.id)));
    for (const { agentId, text } of patch.output ?? []) {
      const full = state.output[agentId];
      if (full !== undefined) this.agents.append(agentId, text, full);
    }
    if (patch.checks) this.checks.render(patch.checks);
    if (patch.breakdown !== undefined) this.breakdown.render(patch.breakdown);
    if (patch.trends) this.trends.render(patch.trends);
    if (patch.timeline) this.timeline.append(patch.timeline);
    this.updateEmpty(state);
  }

  private updateEmpty(state: PanelState): void {
    this.empty.hidden = !!state.build || state.tasks.length > 0 || state.timeline.length > 0;
  }
}
