/// <reference lib="dom" />
import type { TaskStatusView, TaskView } from '../../../src/extension/protocol';
import { h, setText } from '../dom';

const ICONS: Record<TaskStatusView, string> = { pending: '○', running: '◐', done: '✓', failed: '✗', blocked: '⏸', escalated: '⚑' };

/** The plan's task rows, updated in place by id. */
export class PlanList {
  readonly root: HTMLElement;
  private readonly count = h('span', { class: 'count muted' });
  private readonly list = h('ol', { id: 'tasks', class: 'rows' });
  private readonly rows = new Map<string, HTMLLIElement>();
  private readonly statuses = new Map<string, TaskStatusView>();

  constructor() {
    this.root = h('section', { id: 'plan', 'aria-labelledby': 'plan-heading' }, h('h3', { id: 'plan-heading' }, 'Plan ', this.count), this.list);
  }

  reset(tasks: TaskView[]): void {
    this.list.replaceChildren();
    this.rows.clear();
    this.statuses.clear();
    this.upsert(tasks);
  }

  upsert(tasks: TaskView[]): void {
    for (const task of tasks) {
      let row = this.rows.get(task.id);
      if (!row) {
        row = h('li', { class: 'task', 'data-id': task.id });
        this.rows.set(task.id, row);
        this.list.append(row);
      }
      fillRow(row, task);
      this.statuses.set(task.id, task.status);
    }
    const done = [...this.statuses.values()].filter((s) => s === 'done').length;
    setText(this.count, this.rows.size ? `${done}/${this.rows.size} done` : '');
    this.root.hidden = this.rows.size === 0;
  }
}

function fillRow(row: HTMLLIElement, task: TaskView): void {
  row.dataset.status = task.status;
  const attempts = task.attempts ? `${task.attempts} attempt${task.attempts === 1 ? '' : 's'}` : '';
  row.replaceChildren(
    h('span', { class: 'icon', 'aria-hidden': 'true' }, ICONS[task.status]),
    h('span', { class: 'sr-only' }, `${task.status}: `),
    h('span', { class: 'task-id' }, task.id),
    ' ',
    h('span', { class: 'title', title: task.requirements.join(', ') }, task.title),
    attempts ? h('span', { class: 'attempts muted' }, attempts) : '',
  );
  if (task.reason && (task.status === 'failed' || task.status === 'blocked' || task.status === 'escalated')) row.append(h('div', { class: 'reason' }, task.reason));
}
