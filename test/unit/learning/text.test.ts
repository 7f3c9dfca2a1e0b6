import assert from 'node:assert/strict';
import { describeRecurring, estimateTokens, failureLabel, jaccard, normaliseFailureText, tokenSet } from '../../../src/core/learning';
import { MISSING_IMPORT, MISSING_IMPORT_ELSEWHERE } from './helpers';

describe('learning text helpers', () => {
  it('normalises colours, absolute paths, numbers, hex ids and whitespace', () => {
    assert.equal(
      normaliseFailureText(MISSING_IMPORT),
      "error: cannot find module 'strings.ts' imported from index.ts at finalizeresolution (node:internal/modules/esm/resolve:<n>:<n>) code: 'err_module_not_found'",
    );
    assert.equal(normaliseFailureText(MISSING_IMPORT), normaliseFailureText(MISSING_IMPORT_ELSEWHERE));
    assert.equal(
      normaliseFailureText('Build 4f3a9c2e1b failed after 1234 ms\n\twith id 0xdeadbeef, uuid 123e4567-e89b-12d3-a456-426614174000'),
      'build <hex> failed after <n> ms with id <hex>, uuid <hex>',
    );
  });

  it('truncates quoted strings longer than 40 characters and leaves apostrophes alone', () => {
    const long = 'a'.repeat(60);
    assert.equal(normaliseFailureText(`Expected "${long}" to be 'short'`), `expected "${'a'.repeat(40)}…" to be 'short'`);
    const prose = "can't resolve the module because the folder of this project doesn't exist";
    assert.equal(normaliseFailureText(prose), prose);
  });

  it('makes token sets of words of 3+ characters without stopwords or placeholders', () => {
    assert.deepEqual([...tokenSet('The value <n> is not a function at <hex> in foo_bar')].sort(), ['foo_bar', 'function', 'not', 'value']);
  });

  it('computes Jaccard similarity', () => {
    assert.equal(jaccard(new Set(['a', 'b', 'c']), new Set(['b', 'c', 'd'])), 0.5);
    assert.equal(jaccard(new Set(['a']), new Set(['a'])), 1);
    assert.equal(jaccard(new Set(), new Set()), 0);
  });

  it('estimates tokens as ceil(chars / 4)', () => {
    assert.equal(estimateTokens(''), 0);
    assert.equal(estimateTokens('abcd'), 1);
    assert.equal(estimateTokens('abcde'), 2);
  });

  it('labels failures with short human names', () => {
    const cases: [string, string][] = [
      [MISSING_IMPORT, 'missing import'],
      ["TypeError: slugify is not a function", 'undefined name'],
      ['ReferenceError: foo is not defined', 'undefined name'],
      ['AssertionError [ERR_ASSERTION]: Expected values to be strictly equal', 'assertion failure'],
      [normaliseFailureText("src/a.ts(3,7): error TS2322: Type 'string' is not assignable to type 'number'."), 'type error'],
      ["Error: ENOENT: no such file or directory, open 'config.json'", 'missing file'],
      ['Error: Timeout of 2000ms exceeded.', 'timeout'],
      ['Segmentation fault (core dumped) while running the suite', 'segmentation fault (core dumped) while running'],
    ];
    for (const [text, label] of cases) assert.equal(failureLabel(text), label, text);
    assert.equal(describeRecurring({ label: 'missing import', taskCount: 3 }), 'missing import seen in 3 tasks');
  });
});
