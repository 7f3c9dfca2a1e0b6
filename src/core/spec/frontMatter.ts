import type { Yaml } from 'mdast';
import { isMap, isNode, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import { nearestName } from '../nearestName';
import { location, SpecError } from './errors';
import type { SpecSettings } from './types';

type Key = keyof SpecSettings;

/** For each setting: does the value fit, and how to write one that does. */
const RULES: Record<Key, { ok: (v: unknown) => boolean; expected: string }> = {
  test_command: { ok: isText, expected: 'a command, e.g. `test_command: npm test`' },
  typecheck_command: { ok: isText, expected: 'a command, e.g. `typecheck_command: npx tsc --noEmit`' },
  lint_command: { ok: isText, expected: 'a command, e.g. `lint_command: npx eslint .`' },
  model: { ok: isText, expected: 'a model name, e.g. `model: claude-sonnet-4-5`' },
  max_iterations: {
    ok: (v) => Number.isInteger(v) && (v as number) > 0,
    expected: 'a whole number above 0, e.g. `max_iterations: 5`',
  },
  max_cost_usd: {
    ok: (v) => typeof v === 'number' && Number.isFinite(v) && v > 0,
    expected: 'a number of dollars above 0, e.g. `max_cost_usd: 2.5`',
  },
  allow_commands: {
    ok: (v) => Array.isArray(v) && v.every(isText),
    expected: 'a list of commands, e.g. `allow_commands: [npm test, npx tsc --noEmit]`',
  },
};

const KNOWN = Object.keys(RULES) as Key[];

function isText(v: unknown): boolean {
  return typeof v === 'string' && v.trim() !== '';
}

export interface FrontMatter {
  settings: SpecSettings;
  warnings: string[];
}

/** Reads settings from the front matter node; throws `bad_front_matter` with the file line. */
export function readFrontMatter(node: Yaml | undefined, path: string): FrontMatter {
  const result: FrontMatter = { settings: {}, warnings: [] };
  if (!node?.position) return result;
  // Line 1 of the YAML text is the line after the opening `---`.
  const fileLine = (yamlLine: number) => node.position!.start.line + yamlLine;
  const counter = new LineCounter();
  const doc = parseDocument(node.value, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const lineAt = (offset: number) => fileLine(counter.linePos(offset).line);

  const [error] = doc.errors;
  if (error) {
    const reason = error.message.split('\n')[0];
    throw bad(path, lineAt(error.pos[0]), `front matter is not valid YAML: ${reason}. Write one \`key: value\` per line.`);
  }
  if (doc.contents === null) return result;
  if (!isMap(doc.contents)) {
    throw bad(path, fileLine(1), 'front matter must be `key: value` lines, e.g. `test_command: npm test`.');
  }

  for (const pair of doc.contents.items) {
    const keyNode = pair.key;
    const line = isNode(keyNode) && keyNode.range ? lineAt(keyNode.range[0]) : fileLine(1);
    const key = String(isScalar(keyNode) ? keyNode.value : keyNode);
    const value: unknown = isNode(pair.value) ? pair.value.toJS(doc as Document) : null;
    if (!isKnown(key)) {
      // Other tools' keys (spec-kit's `status`, BMAD's `stepsCompleted`) are theirs; only a near miss of ours is worth a word.
      const close = nearMiss(key);
      if (close) result.warnings.push(`${location(path, line)}: unknown front matter key \`${key}\` is ignored (did you mean \`${close}\`?).`);
      continue;
    }
    if (value === null) {
      result.warnings.push(`${location(path, line)}: front matter \`${key}\` has no value and is ignored.`);
      continue;
    }
    const rule = RULES[key];
    if (!rule.ok(value)) {
      throw bad(path, line, `front matter \`${key}\` must be ${rule.expected}, not ${show(value)}.`);
    }
    (result.settings as Record<Key, unknown>)[key] = value;
  }
  return result;
}

/** `---` on line 1 with `key:` lines after it but no closing `---`: the parser sees no front matter at all. */
export function unclosedFrontMatter(text: string, path: string): SpecError | undefined {
  const [first, second = ''] = text.split(/\r?\n/, 2);
  if (first?.trimEnd() !== '---' || !/^[A-Za-z_][\w-]*\s*:/.test(second)) return undefined;
  return bad(path, 1, 'front matter opened with `---` is never closed. Add a `---` line after the last setting.');
}

function bad(path: string, line: number, message: string): SpecError {
  return new SpecError('bad_front_matter', path, message, line);
}

function isKnown(key: string): key is Key {
  return (KNOWN as string[]).includes(key);
}

function nearMiss(key: string): Key | undefined {
  return nearestName(key.toLowerCase().replace(/-/g, '_'), KNOWN);
}

function show(value: unknown): string {
  const s = JSON.stringify(value) ?? String(value);
  return s.length > 60 ? s.slice(0, 57) + '...' : s;
}
