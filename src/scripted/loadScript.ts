import fs from 'node:fs';
import { FAULT_TYPES, STOP_REASONS, USAGE_FIELDS, type ScriptFile } from './scriptTypes';

export const TOOL_NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;
export const TOOL_ID_PATTERN = /^[a-zA-Z0-9_-]+$/;

/** A script that does not follow the format; `problems` are `path: what is wrong` lines. */
export class ScriptError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`invalid script ${source}:\n  ${problems.join('\n  ')}`);
    this.name = 'ScriptError';
  }
}

export function loadScript(path: string): ScriptFile {
  let text: string;
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch (err) {
    throw new ScriptError(path, [`cannot read file: ${(err as Error).message}`]);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ScriptError(path, [`not valid JSON: ${(err as Error).message}`]);
  }
  return validateScript(value, path);
}

/** Throws ScriptError listing every problem, each prefixed by its path (e.g. `turns[2].content[0].name`). */
export function validateScript(value: unknown, source = 'script'): ScriptFile {
  const problems: string[] = [];
  const bad = (path: string, msg: string) => problems.push(`${path}: ${msg}`);
  if (!isObject(value)) throw new ScriptError(source, ['(root): must be an object { version: 1, turns: [...] }']);
  unknownKeys(value, ['$schema', 'version', 'description', 'turns'], '(root)', bad);
  if (value.version !== 1) bad('version', `must be 1, got ${JSON.stringify(value.version)}`);
  if (value.description !== undefined && typeof value.description !== 'string') bad('description', 'must be a string');
  if (!Array.isArray(value.turns)) {
    bad('turns', 'must be an array');
  } else {
    const toolIds = new Map<string, string>();
    value.turns.forEach((turn, i) => checkTurn(turn, `turns[${i}]`, bad, toolIds));
  }
  if (problems.length) throw new ScriptError(source, problems);
  return value as unknown as ScriptFile;
}

type Bad = (path: string, msg: string) => void;

function checkTurn(turn: unknown, at: string, bad: Bad, toolIds: Map<string, string>): void {
  if (!isObject(turn)) return bad(at, 'must be an object');
  unknownKeys(turn, ['agent', 'task', 'content', 'stop_reason', 'usage', 'latency_ms', 'faults', 'expect'], at, bad);
  if (typeof turn.agent !== 'string' || turn.agent === '') bad(`${at}.agent`, 'must be a non-empty string');
  if (turn.task !== undefined && (typeof turn.task !== 'string' || turn.task === '')) {
    bad(`${at}.task`, 'must be a non-empty string when present');
  }
  let toolUses = 0;
  if (!Array.isArray(turn.content)) {
    bad(`${at}.content`, 'must be an array of text / tool_use blocks');
  } else {
    turn.content.forEach((block, j) => {
      if (checkBlock(block, `${at}.content[${j}]`, bad, toolIds)) toolUses++;
    });
  }
  if (turn.stop_reason !== undefined) {
    if (!(STOP_REASONS as readonly unknown[]).includes(turn.stop_reason)) {
      bad(`${at}.stop_reason`, `must be one of ${STOP_REASONS.join(', ')}`);
    } else if (turn.stop_reason === 'tool_use' && toolUses === 0) {
      bad(`${at}.stop_reason`, 'is tool_use but the content has no tool_use block');
    }
  }
  if (turn.usage !== undefined) {
    if (!isObject(turn.usage)) bad(`${at}.usage`, 'must be an object');
    else {
      unknownKeys(turn.usage, USAGE_FIELDS, `${at}.usage`, bad);
      for (const [k, v] of Object.entries(turn.usage)) {
        if (!isCount(v)) bad(`${at}.usage.${k}`, 'must be a non-negative integer');
      }
    }
  }
  if (turn.latency_ms !== undefined && !isNonNegative(turn.latency_ms)) {
    bad(`${at}.latency_ms`, 'must be a non-negative number');
  }
  if (turn.faults !== undefined) {
    if (!Array.isArray(turn.faults)) bad(`${at}.faults`, 'must be an array');
    else turn.faults.forEach((f, k) => checkFault(f, `${at}.faults[${k}]`, bad));
  }
  if (turn.expect !== undefined) {
    const e = turn.expect;
    if (!isObject(e)) bad(`${at}.expect`, 'must be an object');
    else {
      unknownKeys(e, ['tool_results_contain'], `${at}.expect`, bad);
      const c = e.tool_results_contain;
      if (c !== undefined && !(Array.isArray(c) && c.every((s) => typeof s === 'string'))) {
        bad(`${at}.expect.tool_results_contain`, 'must be an array of strings');
      }
    }
  }
}

/** Returns true for a tool_use block. */
function checkBlock(block: unknown, at: string, bad: Bad, toolIds: Map<string, string>): boolean {
  if (!isObject(block)) {
    bad(at, 'must be an object');
    return false;
  }
  if (block.type === 'text') {
    unknownKeys(block, ['type', 'text'], at, bad);
    // The API rejects empty text blocks, so a client echoing this turn back would get a 400.
    if (typeof block.text !== 'string' || block.text === '') bad(`${at}.text`, 'must be a non-empty string');
    return false;
  }
  if (block.type === 'tool_use') {
    unknownKeys(block, ['type', 'id', 'name', 'input'], at, bad);
    if (block.id !== undefined) {
      if (typeof block.id !== 'string' || !TOOL_ID_PATTERN.test(block.id)) {
        bad(`${at}.id`, `must match ${TOOL_ID_PATTERN.source}`);
      } else if (toolIds.has(block.id)) {
        bad(`${at}.id`, `duplicates the id of ${toolIds.get(block.id)}`);
      } else toolIds.set(block.id, at);
    }
    if (typeof block.name !== 'string' || !TOOL_NAME_PATTERN.test(block.name)) {
      bad(`${at}.name`, `must match ${TOOL_NAME_PATTERN.source}`);
    }
    if (!isObject(block.input)) bad(`${at}.input`, 'must be a JSON object');
    return true;
  }
  bad(`${at}.type`, `must be "text" or "tool_use", got ${JSON.stringify(block.type)}`);
  return false;
}

function checkFault(f: unknown, at: string, bad: Bad): void {
  if (!isObject(f)) return bad(at, 'must be an object');
  if (!FAULT_TYPES.includes(f.type as never)) return bad(`${at}.type`, `must be one of ${FAULT_TYPES.join(', ')}`);
  if (f.type === 'rate_limit') {
    unknownKeys(f, ['type', 'retry_after_s'], at, bad);
    if (f.retry_after_s !== undefined && f.retry_after_s !== null && !isNonNegative(f.retry_after_s)) {
      bad(`${at}.retry_after_s`, 'must be a non-negative number, or null for no retry-after header');
    }
  } else if (f.type === 'latency') {
    unknownKeys(f, ['type', 'ms'], at, bad);
    if (!isNonNegative(f.ms)) bad(`${at}.ms`, 'must be a non-negative number');
  } else {
    unknownKeys(f, ['type'], at, bad);
  }
}

function unknownKeys(obj: Record<string, unknown>, allowed: readonly string[], at: string, bad: Bad): void {
  for (const k of Object.keys(obj)) {
    if (!allowed.includes(k)) bad(`${at}.${k}`, `unknown field (allowed: ${allowed.join(', ')})`);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
const isNonNegative = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const isCount = (v: unknown) => Number.isInteger(v) && (v as number) >= 0;
