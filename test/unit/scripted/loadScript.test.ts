import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ScriptError, loadScript, startScriptedServer } from '../../../src/scripted/server';

describe('scripted server: loadScript', () => {
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'munero-script-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, value: unknown) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
    return file;
  };
  const problemsOf = (file: string): ScriptError => {
    try {
      loadScript(file);
    } catch (err) {
      assert.ok(err instanceof ScriptError);
      assert.ok(err.message.includes(file), 'the message names the file');
      return err;
    }
    throw new Error('expected loadScript to throw');
  };

  it('loads a valid script', () => {
    const file = write('ok.json', {
      version: 1,
      description: 'demo',
      turns: [
        { agent: 'planner', content: [{ type: 'text', text: 'plan' }] },
        {
          agent: 'coder',
          task: 'T1',
          content: [{ type: 'tool_use', id: 'toolu_1', name: 'write_file', input: { path: 'a' } }],
          stop_reason: 'tool_use',
          usage: { output_tokens: 5 },
          latency_ms: 10,
          faults: [{ type: 'rate_limit', retry_after_s: 2 }, { type: 'latency', ms: 5 }, { type: 'drop_mid_stream' }],
          expect: { tool_results_contain: ['ok'] },
        },
      ],
    });
    assert.equal(loadScript(file).turns.length, 2);
  });

  it('names the turn index and field that is wrong', () => {
    const file = write('bad.json', {
      version: 1,
      turns: [
        { agent: 'coder', content: [{ type: 'text', text: 'fine' }] },
        { agent: 'coder', content: [{ type: 'tool_use', name: 'bad name', input: {} }] },
        { agent: '', content: [{ type: 'text', text: '' }], stop_reason: 'done' },
        { agent: 'coder', content: [], faults: [{ type: 'explode' }], usage: { output_tokens: -1 }, stopReason: 'x' },
        { agent: 'coder', content: [{ type: 'text', text: 'x' }], stop_reason: 'tool_use', latency_ms: 'slow' },
      ],
    });
    const { problems } = problemsOf(file);
    const expected = [
      /^turns\[1\]\.content\[0\]\.name: must match/,
      /^turns\[2\]\.agent: must be a non-empty string/,
      /^turns\[2\]\.content\[0\]\.text: must be a non-empty string/,
      /^turns\[2\]\.stop_reason: must be one of/,
      /^turns\[3\]\.stopReason: unknown field/,
      /^turns\[3\]\.usage\.output_tokens: must be a non-negative integer/,
      /^turns\[3\]\.faults\[0\]\.type: must be one of/,
      /^turns\[4\]\.stop_reason: is tool_use but the content has no tool_use block/,
      /^turns\[4\]\.latency_ms: must be a non-negative number/,
    ];
    for (const re of expected) assert.ok(problems.some((p) => re.test(p)), `missing ${re} in:\n${problems.join('\n')}`);
    assert.equal(problems.length, expected.length, problems.join('\n'));
  });

  it('rejects duplicate tool_use ids, a wrong version and invalid JSON', () => {
    const dup = problemsOf(
      write('dup.json', {
        version: 2,
        turns: [
          { agent: 'a', content: [{ type: 'tool_use', id: 'toolu_same', name: 'x', input: {} }] },
          { agent: 'a', content: [{ type: 'tool_use', id: 'toolu_same', name: 'x', input: [] }] },
        ],
      }),
    );
    assert.deepEqual(dup.problems, [
      'version: must be 1, got 2',
      'turns[1].content[0].id: duplicates the id of turns[0].content[0]',
      'turns[1].content[0].input: must be a JSON object',
    ]);
    assert.match(problemsOf(write('broken.json', '{"version": 1,')).message, /not valid JSON/);
    assert.match(problemsOf(path.join(dir, 'missing.json')).message, /cannot read file/);
  });

  it('startScriptedServer validates an in-memory script too', async () => {
    await assert.rejects(
      startScriptedServer({ script: { version: 1, turns: [{ agent: 'a', content: [{ type: 'image' } as never] }] } }),
      /turns\[0\]\.content\[0\]\.type: must be "text" or "tool_use"/,
    );
  });
});
