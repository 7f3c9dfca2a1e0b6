import { createHash } from 'node:crypto';

/** What the Messages API accepts as a tool name. */
export const API_TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/**
 * `mcp__<server>__<tool>`, cut to the API's rules. A name that had to change (characters replaced,
 * too long) or collides with one already taken gets an 8-character hash of the original, so two
 * tools never share a name and the same tool always gets the same one.
 */
export function bridgedToolName(server: string, tool: string, taken: ReadonlySet<string> = new Set()): string {
  const original = `mcp__${server}__${tool}`;
  const clean = original.replace(/[^a-zA-Z0-9_-]/g, '_');
  if (clean === original && clean.length <= 64 && !taken.has(clean)) return clean;
  const hash = createHash('sha1').update(original).digest('hex').slice(0, 8);
  let name = `${clean.slice(0, 64 - 9)}_${hash}`;
  for (let n = 2; taken.has(name); n++) name = `${clean.slice(0, 64 - 9 - String(n).length)}_${hash}${n}`;
  return name;
}
