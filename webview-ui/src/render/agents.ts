/// <reference lib="dom" />
import { PANEL_LIMITS, type AgentView } from '../../../src/extension/protocol';
import { BottomFollower, h, setText } from '../dom';

interface Card {
  root: HTMLDetailsElement;
  summary: HTMLElement;
  text: Text;
  follower: BottomFollower;
  /** The user opened or closed it; from then on we leave it as they set it. */
  pinned: boolean;
}

const finished = (a: AgentView) => a.step === 'done' || a.step === 'failed';

/** One collapsible card per agent, with its streamed output appended as it arrives. */
export class AgentList {
  readonly root: HTMLElement;
  private readonly list = h('div', { id: 'agents' });
  private readonly cards = new Map<string, Card>();

  constructor() {
    this.root = h('section', { 'aria-labelledby': 'agents-heading' }, h('h3', { id: 'agents-heading' }, 'Agents'), this.list);
  }

  reset(agents: AgentView[], output: Record<string, string>): void {
    this.list.replaceChildren();
    this.cards.clear();
    this.upsert(agents);
    for (const [id, text] of Object.entries(output)) this.replaceOutput(id, text);
  }

  upsert(agents: AgentView[]): void {
    for (const agent of agents) {
      const card = this.cards.get(agent.id) ?? this.create(agent.id);
      card.root.dataset.step = agent.step;
      card.summary.replaceChildren(
        h('span', { class: 'role' }, agent.role),
        agent.taskId ? h('span', { class: 'agent-task' }, attemptLabel(agent)) : '',
        h('span', { class: 'step' }, agent.step),
        agent.detail ? h('span', { class: 'detail muted' }, agent.detail) : '',
      );
      if (!card.pinned) card.root.open = !finished(agent);
    }
    this.root.hidden = this.cards.size === 0;
  }

  remove(ids: string[]): void {
    for (const id of ids) {
      this.cards.get(id)?.root.remove();
      this.cards.delete(id);
    }
    this.root.hidden = this.cards.size === 0;
  }

  /** Appends a delta; `full` is the agent's capped output, used once the cap is reached. */
  append(id: string, delta: string, full: string): void {
    const card = this.cards.get(id);
    if (!card) return;
    if (card.text.length + delta.length > PANEL_LIMITS.outputCharsPerAgent) card.text.data = full;
    else card.text.appendData(delta);
    card.follower.grew();
  }

  private replaceOutput(id: string, text: string): void {
    const card = this.cards.get(id);
    if (!card) return;
    card.text.data = text;
    card.follower.grew(true);
  }

  private create(id: string): Card {
    const summary = h('summary');
    const text = document.createTextNode('');
    const pre = h('pre', { class: 'output', tabindex: '0', 'aria-label': `Output of ${id}` }, text);
    const root = h('details', { class: 'agent', 'data-id': id }, summary, pre);
    const card: Card = { root, summary, text, follower: new BottomFollower(pre), pinned: false };
    summary.addEventListener('click', () => (card.pinned = true));
    setText(summary, id);
    this.cards.set(id, card);
    this.list.append(root);
    return card;
  }
}

/** "T1", or "T1 · attempt 2" for a later attempt's agent (ids end in -a<N>). */
function attemptLabel(agent: AgentView): string {
  const attempt = /-a(\d+)(?:-r\d+)?$/.exec(agent.id)?.[1];
  return attempt && attempt !== '1' ? `${agent.taskId} · attempt ${attempt}` : (agent.taskId ?? '');
}
