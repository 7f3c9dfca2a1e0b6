import type { TestFileRecord } from '../state/buildState';
import { sha256 } from '../state/blobs';
import { plural } from '../plural';

type Language = 'js' | 'py' | 'go' | 'other';

interface Counter {
  cases: RegExp;
  assertions: RegExp;
  markers: [string, RegExp][];
}

const JS: Counter = {
  cases: /\bx?(?:it|test|specify)(?:\.(?:only|skip|todo|each|concurrent|failing|sequential))*\s*(?:\(|`)/g,
  assertions: /\b(?:assert(?:\.\w+)*\s*\(|expect\s*\(|t\.(?:ok|notOk|equal|not\w*|same|deepEqual|strictEqual|throws|rejects|match|is|true|false|assert|fail|pass|truthy|falsy|like)\w*\s*\()|\.should\b/g,
  markers: [
    ['.skip', /\.skip\s*\(/g],
    ['.only', /\.only\s*\(/g],
    ['.todo', /\.todo\s*\(/g],
    ['xit/xtest/xdescribe', /\bx(?:it|test|describe|context|specify)\s*\(/g],
    ['{ skip }', /\{\s*(?:skip|todo)\s*:/g],
    ['{ only }', /\{\s*only\s*:/g],
    ['this.skip()', /\bthis\.skip\s*\(/g],
  ],
};

const PY: Counter = {
  cases: /^\s*(?:async\s+)?def\s+test\w*\s*\(/gm,
  assertions: /^\s*assert\b|\bself\.assert\w+\s*\(|\bpytest\.raises\s*\(/gm,
  markers: [
    ['@pytest.mark.skip', /@pytest\.mark\.skip(?:if)?\b/g],
    ['@pytest.mark.xfail', /@pytest\.mark\.xfail\b/g],
    ['@unittest.skip', /@unittest\.skip\w*/g],
    ['pytest.skip()', /\bpytest\.skip\s*\(/g],
    ['skipTest()', /\bself\.skipTest\s*\(/g],
  ],
};

const GO: Counter = {
  cases: /^func\s+(?:Test|Example|Fuzz)\w*\s*\(/gm,
  assertions: /\bt\.(?:Error|Errorf|Fatal|Fatalf|Fail|FailNow)\s*\(|\b(?:assert|require)\.\w+\s*\(/g,
  markers: [['t.Skip()', /\b\w+\.Skip(?:f|Now)?\s*\(/g]],
};

/** How much a test file tests, counted from its text with comments left out. */
export function measureTest(rel: string, data: Buffer): TestFileRecord {
  const text = data.toString('utf8');
  const language = languageOf(rel);
  const counter = language === 'py' ? PY : language === 'go' ? GO : JS;
  const code = withoutComments(text, language);
  const markers: Record<string, number> = {};
  for (const [name, pattern] of counter.markers) {
    const n = count(code, pattern);
    if (n) markers[name] = n;
  }
  return { sha: sha256(data), cases: count(code, counter.cases), assertions: count(code, counter.assertions), markers };
}

/**
 * Any change to a test that existed at the start needs the user's approval: counting cannot tell
 * a harmless edit from `process.exit(0)` at the top, `if (false) describe(…)` or an assertion made
 * trivially true. The counts only say what changed: `weakened` with what got weaker, else
 * `changed` ("content changed: 1 test case added"). Undefined when the content is the same.
 */
export function compareTest(before: TestFileRecord, after: TestFileRecord): { kind: 'weakened' | 'changed'; change: string } | undefined {
  if (before.sha === after.sha) return undefined;
  const weaker = describeWeakening(before, after);
  if (weaker) return { kind: 'weakened', change: weaker };
  const grown: string[] = [];
  if (after.cases > before.cases) grown.push(`${plural(after.cases - before.cases, 'test case')} added`);
  if (after.assertions > before.assertions) grown.push(`${plural(after.assertions - before.assertions, 'assertion')} added`);
  return { kind: 'changed', change: grown.length ? `content changed: ${grown.join(', ')}` : 'content changed' };
}

/**
 * What made a test weaker than it was, in a few words; undefined when it is not weaker. Fewer
 * test cases or assertions, or a skip/only/todo marker that was not there, each count.
 */
export function describeWeakening(before: TestFileRecord, after: TestFileRecord): string | undefined {
  if (before.sha === after.sha) return undefined;
  const parts: string[] = [];
  if (after.cases < before.cases) parts.push(`${plural(before.cases - after.cases, 'test case')} fewer`);
  if (after.assertions < before.assertions) parts.push(`${plural(before.assertions - after.assertions, 'assertion')} fewer`);
  for (const [name, n] of Object.entries(after.markers)) {
    const was = before.markers[name] ?? 0;
    if (n > was) parts.push(`${name} added${n - was > 1 ? ` ×${n - was}` : ''}`);
  }
  return parts.length ? parts.join(', ') : undefined;
}

function languageOf(rel: string): Language {
  if (rel.endsWith('.py')) return 'py';
  if (rel.endsWith('.go')) return 'go';
  return /\.[cm]?[jt]sx?$/.test(rel) ? 'js' : 'other';
}

/**
 * Comments removed so that commenting a test out counts as removing it. Deliberately simple: a
 * `//` inside a string is taken for a comment, which only shifts both versions' counts alike.
 */
function withoutComments(text: string, language: Language): string {
  if (language === 'py') return text.replace(/^\s*#.*$/gm, '').replace(/^\s*(?:"""|''')[\s\S]*?(?:"""|''')/gm, '');
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:\\])\/\/.*$/gm, '$1');
}

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}
