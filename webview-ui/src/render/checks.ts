/// <reference lib="dom" />
import type { CheckView } from '../../../src/extension/protocol';
import { h } from '../dom';
import { formatDuration } from '../format';

/** The last checks run; failing tests link to their file and line. */
export class CheckList {
  readonly root: HTMLElement;
  private readonly list = h('ul', { id: 'checks', class: 'rows' });

  constructor(openFile: (path: string, line?: number) => void) {
    this.root = h('section', { 'aria-labelledby': 'checks-heading' }, h('h3', { id: 'checks-heading' }, 'Checks'), this.list);
    this.list.addEventListener('click', (ev) => {
      const link = (ev.target as Element).closest<HTMLElement>('[data-path]');
      if (!link) return;
      const line = Number(link.dataset.line);
      openFile(link.dataset.path!, Number.isFinite(line) && line > 0 ? line : undefined);
    });
  }

  render(checks: CheckView[]): void {
    this.list.replaceChildren(...checks.map(checkRow));
    this.root.hidden = checks.length === 0;
  }
}

function checkRow(c: CheckView): HTMLLIElement {
  const row = h(
    'li',
    { class: 'check', 'data-name': c.name, 'data-passed': String(c.passed), title: c.command },
    h('span', { class: 'icon', 'aria-hidden': 'true' }, c.passed ? '✓' : '✗'),
    h('span', { class: 'sr-only' }, c.passed ? 'passed: ' : 'failed: '),
    h('span', { class: 'name' }, c.name),
    h('span', { class: 'muted' }, ` ${formatDuration(c.durationMs)}${c.passed || c.exitCode === null ? '' : ` · exit ${c.exitCode}`} · ${c.scope}`),
  );
  if (c.failures.length) {
    row.append(
      h(
        'ul',
        { class: 'failures' },
        ...c.failures.map((f) => {
          const where = f.file ? `${f.file}${f.line ? `:${f.line}` : ''}` : '';
          return h(
            'li',
            {},
            where ? h('button', { type: 'button', class: 'link', 'data-path': f.file, 'data-line': f.line ? String(f.line) : undefined }, where) : '',
            h('span', { class: 'failure-name' }, ` ${f.name}`),
            f.message ? h('div', { class: 'failure-message muted' }, f.message) : '',
          );
        }),
      ),
    );
  }
  return row;
}
