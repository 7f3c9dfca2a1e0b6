import type { BlobStore } from '../state/blobs';
import type { ChangeRecord } from './changeSet';

/**
 * What a set of changes did, as text for an agent (reflector, reviewer): per file, the region
 * that differs between its state before the first change and after the last, within a budget.
 */
export function describeChanges(changes: ChangeRecord[], blobs: BlobStore, budgetChars = 4000): string {
  const byPath = new Map<string, { before: string | null; after: string | null }>();
  for (const c of changes) {
    const known = byPath.get(c.path);
    byPath.set(c.path, { before: known ? known.before : c.beforeSha, after: c.afterSha });
  }
  const perFile = Math.max(400, Math.floor(budgetChars / Math.max(1, byPath.size)));
  const parts: string[] = [];
  for (const [file, { before, after }] of byPath) {
    const old = before ? blobs.get(before).toString('utf8') : '';
    const now = after ? blobs.get(after).toString('utf8') : '';
    const what = !after ? 'deleted' : before ? 'changed' : 'created';
    parts.push(`--- ${file} (${what})\n${changedRegion(old, now, perFile)}`);
  }
  return parts.join('\n').slice(0, budgetChars);
}

/** The lines between the common head and tail of two texts, marked - and +. */
export function changedRegion(before: string, after: string, budgetChars: number): string {
  const a = before === '' ? [] : before.split('\n');
  const b = after.split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const removed = a.slice(head, a.length - tail).map((l) => `- ${l}`);
  const added = b.slice(head, b.length - tail).map((l) => `+ ${l}`);
  const text = [`@@ line ${head + 1}`, ...removed, ...added].join('\n');
  return text.length <= budgetChars ? text : `${text.slice(0, budgetChars)}\n… [${text.length - budgetChars} more characters]`;
}
