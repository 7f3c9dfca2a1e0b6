import assert from 'node:assert/strict';
import { capText, joinHeadTail } from '../../../src/core/tools/capText';

describe('capText', () => {
  it('returns short text unchanged', () => {
    assert.equal(capText('hello', 5), 'hello');
    assert.equal(capText('', 0), '');
  });

  it('keeps head and tail around a marker counting what was cut, within the cap', () => {
    const text = 'HEAD' + 'x'.repeat(10_000) + 'TAIL';
    const capped = capText(text, 200);
    assert.ok(capped.length <= 200, `length ${capped.length}`);
    assert.ok(capped.startsWith('HEADxxx'));
    assert.ok(capped.endsWith('xxxTAIL'));
    const m = /… \[(\d+) characters omitted\] …/.exec(capped);
    assert.ok(m, capped);
    const kept = capped.length - m[0].length - 2; // the marker's two newlines
    assert.equal(Number(m[1]) + kept, text.length);
  });

  it('never splits a surrogate pair', () => {
    const text = '😀'.repeat(1000);
    const capped = capText(text, 101);
    assert.ok(!/[\ud800-\udbff](?![\udc00-\udfff])/.test(capped), 'lone high surrogate');
    assert.ok(!/(?<![\ud800-\udbff])[\udc00-\udfff]/.test(capped), 'lone low surrogate');
  });

  it('degrades to a plain prefix when the cap cannot even hold the marker', () => {
    assert.equal(capText('abcdefghij'.repeat(10), 5), 'abcde');
  });

  it('joinHeadTail reports characters already dropped between head and tail', () => {
    const out = joinHeadTail('start', 'end', 1000, 100);
    assert.ok(out.startsWith('start') && out.endsWith('end'));
    assert.match(out, /\[1000 characters omitted\]/);
  });
});
