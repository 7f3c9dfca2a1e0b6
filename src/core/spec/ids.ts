import { createHash } from 'node:crypto';

/**
 * How ids are recognised at the start of a heading, list item or paragraph line:
 * - written ids: uppercase letters, optional `-`-joined uppercase parts, optional `-`, digits, an optional
 *   letter suffix and `.digits` parts (`R1`, `FR-001`, `FR-008a`, `US-1.2`, `NFR-PERF-1`, `NFR-A11Y-2`, `UX-DR1`), kept as written;
 * - "Requirement <n>" becomes `REQ-<n>`, "User Story <n>" `US-<n>`, "Story <n.m>" `STORY-<n.m>` (Kiro, spec-kit, BMAD);
 * - OpenSpec's "Requirement: <Name>" becomes a slug of the name (`user-sign-in`), the name being its identity there.
 * The id must be followed by `:` `.` `)` `—` `–` ` - ` or the end of the text, so that
 * "V2 migration" is not an id. Whitespace alone also separates when the id has a `-`
 * (`REQ-3 The CLI ...`), comes from a keyword, or was set apart in bold or code (`**R1** The ...`).
 */
export const ID_PATTERN = '[A-Z]{1,6}(?:-[A-Z][A-Z0-9]{0,7})*-?\\d+[a-z]?(?:\\.\\d+[a-z]?)*';
const WRITTEN_ID = new RegExp(`^(${ID_PATTERN})(?![\\w.-]*\\w)`);
export const BARE_ID = new RegExp(`^${ID_PATTERN}:?$`);
const KEYWORD_ID = /^(requirement|user story|story)\s+(\d+(?:\.\d+)*[a-z]?)\b/i;
const NAMED_REQUIREMENT = /^requirement\s*:\s*(.+)$/i;
const STRONG_SEPARATOR = /^\s*(?:[:.)—–]|-\s|$)/;
const SEPARATOR = /^\s*[:.)—–-]?\s*/;
const PREFIX: Record<string, string> = { requirement: 'REQ', 'user story': 'US', story: 'STORY' };

export interface IdMatch {
  id: string;
  /** The text after the id and its separator. */
  rest: string;
  /** The id came from OpenSpec's `Requirement: <Name>`. */
  named?: boolean;
}

/** `setApart`: the id was the whole of a leading bold/emphasis/code span. */
export function matchId(text: string, setApart = false): IdMatch | undefined {
  const named = NAMED_REQUIREMENT.exec(text);
  if (named) return { id: slugId(named[1]!), rest: named[1]!.trim(), named: true };
  const keyword = KEYWORD_ID.exec(text);
  if (keyword) {
    const prefix = PREFIX[keyword[1]!.toLowerCase().replace(/\s+/g, ' ')]!;
    return withRest(`${prefix}-${keyword[2]}`, text.slice(keyword[0].length), true);
  }
  const written = WRITTEN_ID.exec(text);
  if (!written) return undefined;
  const id = written[1]!;
  return withRest(id, text.slice(id.length), setApart || id.includes('-'));
}

function withRest(id: string, after: string, spaceSeparates: boolean): IdMatch | undefined {
  if (!STRONG_SEPARATOR.test(after) && !(spaceSeparates && /^\s/.test(after))) return undefined;
  return { id, rest: after.replace(SEPARATOR, '').trim() };
}

/** The form ids are compared in: `US1`, `US-1` and `US-001` are one id. */
export function idKey(id: string): string {
  return id
    .toUpperCase()
    .replace(/-/g, '')
    .replace(/(^|[^\d])0+(?=\d)/g, '$1');
}

export function slugId(name: string): string {
  return name
    .toLowerCase()
    .replace(/[`*_]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
}

export function derivedId(text: string): string {
  const normalised = text.toLowerCase().replace(/\s+/g, ' ').trim();
  return 'REQ-' + createHash('sha1').update(normalised).digest('hex').slice(0, 6);
}
