import { parse as parseYaml } from 'yaml';
import type { FailingTest, RunnerParser } from '../types';
import { count, indentOf, locationFromStack, parseLocation, processError, type Location } from './common';

const RESULT = /^(\s*)(not ok|ok)\b\s*(\d+)?\s*(?:-\s*)?(.*?)\s*$/;
const SUBTEST = /^(\s*)# Subtest: (.*)$/;

/**
 * TAP 13/14, including `node --test --test-reporter=tap`: `not ok` lines, names nested through
 * `# Subtest:` indentation, and YAML diagnostics (`error`/`message`, `location`/`at`, `stack`).
 */
export const parseTap: RunnerParser = (lines, text) => {
  const isTap = /^TAP version \d+/m.test(text) || (/^\s*(?:not )?ok \d+/m.test(text) && /^\s*1\.\.\d+/m.test(text));
  if (!isTap) return undefined;
  const node = /^\s*# Subtest: /m.test(text) || /^\s*failureType: /m.test(text);

  const failures: FailingTest[] = [];
  const suites: { indent: number; name: string }[] = [];
  // tape and friends name each test in a comment before its assertions.
  let group = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const comment = /^# (.+)$/.exec(line);
    if (!node && comment && !/^(tests|pass|fail|ok|skip|todo)\b/.test(comment[1]!)) group = comment[1]!.trim();
    const subtest = SUBTEST.exec(line);
    if (subtest) {
      popTo(suites, subtest[1]!.length);
      suites.push({ indent: subtest[1]!.length, name: subtest[2]!.trim() });
      continue;
    }
    if (/^\s*Bail out!/.test(line)) {
      failures.push({ name: 'Bail out!', message: line.trim().replace(/^Bail out!\s*/, '') || 'bailed out' });
      continue;
    }
    const result = RESULT.exec(line);
    if (!result) continue;
    const indent = result[1]!.length;
    popTo(suites, indent + 1);
    const own = suites.at(-1)?.indent === indent ? suites.pop() : undefined;
    if (result[2] !== 'not ok') continue;
    const { description, directive } = splitDirective(result[4]!);
    if (/^(skip|todo)\b/i.test(directive)) continue;
    const block = yamlBlock(lines, i + 1, indent);
    const diag = block.data;
    if (diag.failureType === 'subtestsFailed') continue;
    const leaf = description || own?.name || `test ${result[3] ?? ''}`.trim();
    const name = [group, ...suites.map((s) => s.name), leaf].filter(Boolean).join(' > ');
    failures.push({ name, message: message(diag, lines), ...location(diag) });
  }
  return {
    runner: node ? 'node-test' : 'tap',
    passed: count(text, /^# pass\s+(\d+)/m),
    failed: count(text, /^# fail\s+(\d+)/m) ?? failures.length,
    failures,
  };
};

function popTo(stack: { indent: number }[], indent: number): void {
  while (stack.length && stack.at(-1)!.indent >= indent) stack.pop();
}

/** `name # SKIP reason`; `\#` is an escaped hash inside the name. */
function splitDirective(text: string): { description: string; directive: string } {
  const m = /^(.*?)(?<!\\)\s#\s*(.*)$/.exec(text);
  const [description, directive] = m ? [m[1]!, m[2]!] : [text, ''];
  return { description: description.replace(/\\#/g, '#').trim(), directive };
}

/** The YAML diagnostic block after a result line, if any: `---` ... `...`, indented 2 more. */
function yamlBlock(lines: string[], start: number, indent: number): { data: Record<string, unknown> } {
  if (!/^\s*---\s*$/.test(lines[start] ?? '') || indentOf(lines[start]!) <= indent) return { data: {} };
  const body: string[] = [];
  const pad = indentOf(lines[start]!);
  for (let i = start + 1; i < lines.length && !/^\s*\.\.\.\s*$/.test(lines[i]!); i++) body.push(lines[i]!.slice(pad));
  try {
    const data: unknown = parseYaml(body.join('\n'));
    return { data: data && typeof data === 'object' ? (data as Record<string, unknown>) : {} };
  } catch {
    return { data: { error: body.join('\n') } };
  }
}

function message(diag: Record<string, unknown>, lines: string[]): string {
  const raw = diag.error ?? diag.message;
  let text = typeof raw === 'string' ? raw : raw === undefined ? '' : JSON.stringify(raw);
  if (text === 'test failed') text = processError(lines) ?? text;
  const name = typeof diag.name === 'string' ? diag.name : undefined;
  if (name && !text.startsWith(name)) text = `${name}: ${text}`;
  // Node's `error` already shows the values; other producers put them in separate fields.
  if (diag.error === undefined && diag.expected !== undefined) {
    text = [text, `expected: ${JSON.stringify(diag.expected)}, actual: ${JSON.stringify(diag.actual)}`].filter(Boolean).join('\n');
  }
  return text || 'failed';
}

function location(diag: Record<string, unknown>): Location {
  if (typeof diag.location === 'string') return parseLocation(diag.location) ?? {};
  const frames = [diag.at, diag.stack].filter((v): v is string => typeof v === 'string').flatMap((s) => s.split('\n'));
  return locationFromStack(frames, true) ?? {};
}
