import type { FailingTest, RunnerParser } from '../types';
import { count, indentOf, locationFromStack, messageLines, parseLocation, processError, type Location } from './common';

const SUITE = /^(\s*)▶ (.+?)(?: \([\d.]+m?s\))?$/;
const FAIL = /^(\s*)✖ (.+?)(?: \([\d.]+m?s\))?$/;
const SUMMARY = /^ℹ (?:tests|pass|fail) \d+/m;
const FAILING_HEADER = /^✖ failing tests:\s*$/;

interface Entry {
  name: string;
  leaf: string;
  message: string;
  where?: Location;
}

/**
 * The spec reporter of `node --test`: a tree of `▶ suite` / `✔ test` / `✖ test` lines with the
 * error indented under each failing test, `ℹ fail N` counts, and (Node 20+) a `✖ failing tests:`
 * list repeating each failure after a `test at file:line:col` line.
 */
export const parseNodeSpec: RunnerParser = (lines, text) => {
  if (!SUMMARY.test(text) && !lines.some((l) => FAILING_HEADER.test(l))) return undefined;
  const header = lines.findIndex((l) => FAILING_HEADER.test(l));
  const tree = treeFailures(header < 0 ? lines : lines.slice(0, header));
  const listed = header < 0 ? undefined : listedFailures(lines.slice(header + 1));

  // The list has locations but bare names; the tree has full names.
  const entries = listed
    ? listed.map((l) => {
        const i = tree.findIndex((t) => t.leaf === l.leaf);
        const full = i >= 0 ? tree.splice(i, 1)[0]!.name : l.leaf;
        return { ...l, name: full };
      })
    : tree;

  const failures: FailingTest[] = entries.map((e) => ({
    name: e.name,
    message: e.message === 'test failed' ? (processError(lines) ?? e.message) : e.message,
    ...e.where,
  }));
  return {
    runner: 'node-test',
    passed: count(text, /^ℹ pass (\d+)/m),
    failed: count(text, /^ℹ fail (\d+)/m) ?? failures.length,
    failures,
  };
};

function treeFailures(lines: string[]): Entry[] {
  const entries: Entry[] = [];
  const suites: { indent: number; name: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const suite = SUITE.exec(line);
    const fail = suite ? undefined : FAIL.exec(line);
    if (!suite && !fail) continue;
    const indent = indentOf(line);
    while (suites.length && suites.at(-1)!.indent >= indent) suites.pop();
    if (suite) {
      suites.push({ indent, name: suite[2]! });
      continue;
    }
    const body = block(lines, i + 1, indent);
    // `✖ suite (3ms)` closing a suite has nothing under it.
    if (body.length === 0) continue;
    entries.push(entry([...suites.map((s) => s.name), fail![2]!].join(' > '), fail![2]!, body));
  }
  return entries;
}

function listedFailures(lines: string[]): Entry[] {
  const entries: Entry[] = [];
  let where: Location | undefined;
  for (let i = 0; i < lines.length; i++) {
    const at = /^test at (.+)$/.exec(lines[i]!);
    if (at) {
      where = parseLocation(at[1]!);
      continue;
    }
    const fail = FAIL.exec(lines[i]!);
    if (!fail || fail[1]!.length > 0) continue;
    const e = entry(fail[2]!, fail[2]!, block(lines, i + 1, 0));
    entries.push(where ? { ...e, where } : e);
    where = undefined;
  }
  return entries;
}

/** The lines indented deeper than `indent` that follow, blank lines included. */
function block(lines: string[], start: number, indent: number): string[] {
  const body: string[] = [];
  for (let i = start; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() !== '' && indentOf(line) <= indent) break;
    body.push(line);
  }
  while (body.length && body.at(-1)!.trim() === '') body.pop();
  return body;
}

function entry(name: string, leaf: string, body: string[]): Entry {
  const message = messageLines(body).join('\n').replace(/^'(.*)'$/s, '$1');
  const where = locationFromStack(body);
  return where ? { name, leaf, message, where } : { name, leaf, message };
}
