import { createHash } from 'node:crypto';

/**
 * How ids are recognised at the start of a heading or list item:
 * - written ids: 1–5 uppercase letters, optional `-`, digits, optional `.digits`
 *   (`R1`, `FR-001`, `US-1.2`), kept exactly as written;
 * - "Requirement <n>" becomes `REQ-<n>` and "User Story <n>" becomes `US-<n>` (Kiro, spec-kit).
 * The id must be followed by `:` `.` `)` `—` `–` ` - ` or the end of the text, so that
 * "V2 migration" is not an id. Whitespace alone also separates when the id has a `-`
 * (`REQ-3 The CLI ...`), comes from a keyword, or was set apart in bold or code (`**R1** The ...`).
 */
const WRITTEN_ID = /^([A-Z]{1,5}-?\d+(?:\.\d+)?)(?![\w.-]*\w)/;
const KEYWORD_ID = /^(requirement|user story)\s+(\d+(?:\.\d+)?)\b/i;
const STRONG_SEPARATOR = /^\s*(?:[:.)—–]|-\s|$)/;
const SEPARATOR = /^\s*[:.)—–-]?\s*/;

export interface IdMatch {
  id: string;
  /** The text after the id and its separator. */
  rest: string;
}

/** `setApart`: the id was the whole of a leading bold/emphasis/code span. */
export function matchId(text: string, setApart = false): IdMatch | undefined {
  const keyword = KEYWORD_ID.exec(text);
  if (keyword) {
    const prefix = keyword[1]!.toLowerCase() === 'requirement' ? 'REQ' : 'US';
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

export function derivedId(text: string): string {
  const normalised = text.toLowerCase().replace(/\s+/g, ' ').trim();
  return 'REQ-' + createHash('sha1').update(normalised).digest('hex').slice(0, 6);
}
