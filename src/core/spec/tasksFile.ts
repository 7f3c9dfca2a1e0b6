import type { List, ListItem, Paragraph } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { ID_PATTERN } from './ids';
import { itemText, lineText, stripCheckbox } from './plainText';
import { referenceResolver } from './references';
import type { Requirement, SpecTask } from './types';

const TASK_ID = /^(?:(T\d+[a-z]?)|(\d+(?:\.\d+)*)\.?)\s+(.*)$/;
const REFERENCE_LINE = /^_?\s*(?:requirements?|reqs?|refs?|references|covers|implements|acceptance)\s*:\s*(.+?)_?$/i;
const TAG = /\[([^\]]+)\]/g;
const ID_ANYWHERE = new RegExp(`\\b${ID_PATTERN}\\b`, 'g');
const FILE = /(?:^|\s|`)((?:[\w.-]+\/)+[\w.-]+\.\w+)`?/g;

/**
 * Reads a `tasks.md` (Kiro `- [ ] 2.1 Title` with `_Requirements: 1.1, 2.3_`, spec-kit
 * `- [ ] T012 [P] [US1] Title in src/x.py`, OpenSpec `- [ ] 1.1 Title`). A task with sub-tasks is a
 * group: its sub-tasks are the tasks and inherit its references. Each task follows the one before
 * it, except a `[P]` task, which may run alongside it.
 */
export function parseTasksFile(text: string, requirements: Requirement[]): SpecTask[] {
  const root = fromMarkdown(text.startsWith('\uFEFF') ? text.slice(1) : text);
  const resolve = referenceResolver(requirements);
  const tasks: SpecTask[] = [];
  let ordinal = 0;
  let previous: { id: string; dependsOn: string[] } | undefined;

  const visit = (list: List, inherited: string[]) => {
    for (const item of list.children) {
      const lead = item.children[0]?.type === 'paragraph' ? (item.children[0] as Paragraph) : undefined;
      if (!lead || item.checked === null || item.checked === undefined) {
        if (!lead || !/^\[[ xX]\]\s/.test(lineText(lead))) {
          for (const child of item.children) if (child.type === 'list') visit(child, inherited);
          continue;
        }
      }
      const head = stripCheckbox(lineText(lead));
      const m = TASK_ID.exec(head);
      const id = m?.[1] ?? (m?.[2] ? `T${m[2]}` : `T${++ordinal}`);
      const rest = m ? m[3]! : head;
      const details = item.children.slice(1);
      const refs = [...inherited, ...references(rest, details)];
      const subtasks = details.filter((d): d is List => d.type === 'list' && d.children.some(isTaskItem));
      if (subtasks.length) {
        for (const sub of subtasks) visit(sub, refs);
        continue;
      }
      const resolved = new Set<string>();
      const unresolved: string[] = [];
      for (const ref of refs) {
        const r = resolve(ref);
        if (r) resolved.add(r);
        else if (!/^P$/i.test(ref)) unresolved.push(ref);
      }
      for (const mention of rest.match(ID_ANYWHERE) ?? []) {
        const r = resolve(mention);
        if (r) resolved.add(r);
      }
      const parallel = /\[P\]/.test(rest);
      const dependsOn = previous ? (parallel ? previous.dependsOn : [previous.id]) : [];
      const title = rest.replace(TAG, '').replace(/\s+/g, ' ').trim();
      const description = details.map((d) => (d.type === 'list' ? d.children.map(itemText).map((l) => `- ${l}`).join('\n') : lineText(d as Paragraph))).join('\n');
      tasks.push({
        id,
        title,
        description: description.split('\n').filter((l) => !REFERENCE_LINE.test(l.replace(/^-\s+/, ''))).join('\n'),
        requirements: [...resolved],
        unresolved,
        dependsOn,
        files: [...new Set([...`${rest}\n${description}`.matchAll(FILE)].map((f) => f[1]!))],
        done: item.checked === true || /^\[[xX]\]/.test(lineText(lead)),
        line: item.position?.start.line ?? 0,
      });
      previous = { id, dependsOn };
    }
  };
  for (const node of root.children) if (node.type === 'list') visit(node, []);
  return withoutFlatGroups(tasks);
}

/** Kiro also writes sub-tasks flat (`- [ ] 2.` then `- [ ] 2.1`): the `2.` is then a group, not a task. */
function withoutFlatGroups(tasks: SpecTask[]): SpecTask[] {
  const groups = new Map(tasks.filter((g) => tasks.some((t) => t.id.startsWith(`${g.id}.`))).map((g) => [g.id, g]));
  if (groups.size === 0) return tasks;
  const replace = (deps: string[]): string[] => [...new Set(deps.flatMap((d) => (groups.has(d) ? replace(groups.get(d)!.dependsOn) : [d])))];
  return tasks
    .filter((t) => !groups.has(t.id))
    .map((t) => {
      const group = [...groups.values()].find((g) => t.id.startsWith(`${g.id}.`));
      const requirements = t.requirements.length || !group ? t.requirements : group.requirements;
      return { ...t, requirements, dependsOn: replace(t.dependsOn) };
    });
}

function isTaskItem(item: ListItem): boolean {
  const lead = item.children[0];
  return (item.checked !== null && item.checked !== undefined) || (lead?.type === 'paragraph' && /^\[[ xX]\]\s/.test(lineText(lead)));
}

/** References written on the task: `[US1]` tags and `Requirements: 1.1, 2.3` lines. */
function references(head: string, details: ListItem['children']): string[] {
  const refs = [...head.matchAll(TAG)].map((m) => m[1]!.trim()).filter((t) => !/^[ xX]?$/.test(t));
  const lines = details.flatMap((d) => (d.type === 'list' ? d.children.map(itemText) : d.type === 'paragraph' ? [lineText(d)] : []));
  for (const line of lines) {
    const m = REFERENCE_LINE.exec(line.trim());
    if (m) refs.push(...m[1]!.split(/[,;]\s*|\s+and\s+/).map((r) => r.trim().replace(/[_*.]+$/, '')).filter(Boolean));
  }
  return refs;
}
