import { stripAnsi } from './runners/common';

/** At most this many names are kept per check (they go into the build's state). */
export const MAX_PASSING_NAMES = 1000;

// TAP and `node --test --test-reporter=tap`: `ok 3 - name` (a `# SKIP`/`# TODO` directive is not a pass).
const TAP_OK = /^(\s*)ok \d+\s*(?:-\s*)?(.*?)\s*$/;
const TAP_SUBTEST = /^(\s*)# Subtest: (.*)$/;
// The spec reporters of node --test and mocha, jest and vitest verbose: `✔ name (12ms)`.
const SPEC_PASS = /^\s*[✔✓√]\s+(.+?)(?:\s+\(\d+(?:\.\d+)?\s*m?s\))?\s*$/;

/**
 * The names of the tests a runner printed as passing, where it prints them (TAP, the node and
 * mocha spec reporters, jest and vitest verbose). Names nested in suites keep the suite names,
 * joined with " > ", so an id named only in a `describe` still reaches its tests.
 */
export function passingTestNames(output: string): string[] {
  const lines = stripAnsi(output).replace(/\r\n?/g, '\n').split('\n');
  const names = new Set<string>();
  const isTap = lines.some((l) => /^TAP version \d+/.test(l) || /^\s*1\.\.\d+\s*$/.test(l));
  const suites: { indent: number; name: string }[] = [];
  for (const line of lines) {
    if (names.size >= MAX_PASSING_NAMES) break;
    if (isTap) {
      const subtest = TAP_SUBTEST.exec(line);
      if (subtest) {
        while (suites.length && suites.at(-1)!.indent >= subtest[1]!.length) suites.pop();
        suites.push({ indent: subtest[1]!.length, name: subtest[2]!.trim() });
        continue;
      }
      const ok = TAP_OK.exec(line);
      if (ok) {
        const [description, directive = ''] = ok[2]!.split(/(?<!\\)\s#\s*/, 2);
        if (/^(skip|todo)\b/i.test(directive)) continue;
        while (suites.length && suites.at(-1)!.indent > ok[1]!.length) suites.pop();
        const parents = suites.filter((s) => s.indent < ok[1]!.length).map((s) => s.name);
        names.add([...parents, description!.trim()].filter(Boolean).join(' > '));
        continue;
      }
    }
    const pass = SPEC_PASS.exec(line);
    if (pass) names.add(pass[1]!.trim());
  }
  return [...names];
}

/** True when `text` names requirement `id` (`R2`, `R2:`, `R2.1`, `[R2]`), not a longer id (`R20`, `R2a`). */
export function namesRequirement(text: string, id: string): boolean {
  const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\w-])${escaped}(?![\\w-]*[A-Za-z0-9])`).test(text);
}
