/// <reference lib="dom" />
import { PANEL_LIMITS, type TimelineEntry } from '../../../src/extension/protocol';
import { BottomFollower, h } from '../dom';
import { formatTime } from '../format';

/** Newest at the bottom; follows new entries unless the user has scrolled up. */
export class Timeline {
  readonly root: HTMLElement;
  private readonly follower: BottomFollower;
  private readonly list = h('ol', { id: 'timeline', class: 'rows' });

  constructor() {
    const scroller = h('div', { class: 'timeline-scroll', tabindex: '0', 'aria-label': 'Timeline' }, this.list);
    this.follower = new BottomFollower(scroller);
    this.root = h('section', { 'aria-labelledby': 'timeline-heading' }, h('h3', { id: 'timeline-heading' }, 'Timeline'), scroller);
  }

  reset(entries: TimelineEntry[]): void {
    this.list.replaceChildren();
    this.append(entries, true);
  }

  append(entries: TimelineEntry[], forceScroll = false): void {
    this.list.append(...entries.map(row));
    while (this.list.childElementCount > PANEL_LIMITS.timeline) this.list.firstElementChild!.remove();
    this.root.hidden = this.list.childElementCount === 0;
    this.follower.grew(forceScroll);
  }
}

function row(e: TimelineEntry): HTMLLIElement {
  return h('li', { 'data-level': e.level, 'data-seq': String(e.seq) }, h('time', { datetime: e.at, class: 'muted' }, formatTime(e.at)), ' ', e.text);
}
