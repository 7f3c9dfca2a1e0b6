import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { startRecordingProxy, type RecordingProxy } from '../../../src/scripted/recorder';
import { loadScript } from '../../../src/scripted/server';
import { MODEL, clientFor, rejection, script, useServer } from './helpers';

const upstreamScript = script(
  { agent: 'planner', content: [{ type: 'text', text: 'Plan: T1 then T2.' }] },
  {
    agent: 'coder',
    task: 'T1',
    content: [
      { type: 'text', text: 'Writing the file.' },
      { type: 'tool_use', name: 'write_file', input: { path: 'a.ts', text: 'export const a = 1;\n', lines: [1, 2] } },
    ],
    faults: [{ type: 'drop_mid_stream' }],
  },
  { agent: 'coder', task: 'T2', content: [{ type: 'text', text: 'T2 is trivial.' }], faults: [{ type: 'rate_limit', retry_after_s: 3 }] },
  { agent: 'coder', task: 'T1', content: [{ type: 'text', text: 'T1 done.' }], stop_reason: 'end_turn' },
);

const userMsg = (text: string): Anthropic.MessageParam[] => [{ role: 'user', content: text }];

/** The session a recorded script must reproduce; `via` is the server the client talks to. */
async function session(via: { url: string }, expectFaults: boolean): Promise<Anthropic.Message[]> {
  const out: Anthropic.Message[] = [];
  out.push(await clientFor(via, 'planner', 'plan').messages.create({ model: MODEL, max_tokens: 50, messages: userMsg('plan it') }));
  const t1 = clientFor(via, 'coder', 'T1');
  const first = userMsg('do T1');
  if (expectFaults) await rejection(t1.messages.stream({ model: MODEL, max_tokens: 50, messages: first }).finalMessage());
  const write = await t1.messages.stream({ model: MODEL, max_tokens: 50, messages: first }).finalMessage();
  out.push(write);
  const t2 = clientFor(via, 'coder', 'T2');
  if (expectFaults) {
    const err = await rejection(t2.messages.create({ model: MODEL, max_tokens: 50, messages: userMsg('do T2') }));
    assert.equal(err.status, 429);
    assert.equal(err.headers.get('retry-after'), '3', 'upstream headers pass through the proxy');
  }
  out.push(await t2.messages.create({ model: MODEL, max_tokens: 50, messages: userMsg('do T2') }));
  const toolUse = write.content.find((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use')!;
  out.push(
    await t1.messages.stream({
      model: MODEL,
      max_tokens: 50,
      messages: [
        ...first,
        { role: 'assistant', content: write.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUse.id, content: 'written' }] },
      ],
    }).finalMessage(),
  );
  return out;
}

describe('scripted server: recording proxy', () => {
  const { start } = useServer();
  let dir: string;
  let proxy: RecordingProxy | undefined;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'munero-rec-'))));
  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('records completed responses into a script that replays to the same content', async () => {
    const upstream = await start(upstreamScript);
    const outFile = path.join(dir, 'recorded.json');
    proxy = await startRecordingProxy({ upstream: upstream.url, outFile });
    const original = await session(proxy, true);
    assert.equal(upstream.log.length, 6);

    const recorded = loadScript(outFile);
    assert.deepEqual(fs.readdirSync(dir), ['recorded.json'], 'no temp files are left behind');
    assert.deepEqual(
      recorded.turns.map((t) => [t.agent, t.task, t.stop_reason]),
      [
        ['planner', 'plan', 'end_turn'],
        ['coder', 'T1', 'tool_use'],
        ['coder', 'T2', 'end_turn'],
        ['coder', 'T1', 'end_turn'],
      ],
    );
    assert.equal(recorded.turns[1]!.faults, undefined, 'faults are not recorded');

    const replay = await start(recorded);
    const replayed = await session(replay, false);
    assert.deepEqual(replay.rejected(), []);
    assert.deepEqual(replay.remainingTurns(), []);
    for (const [i, msg] of replayed.entries()) {
      const orig = original[i]!;
      assert.deepEqual(msg.content, orig.content, `turn ${i} content`);
      assert.equal(msg.stop_reason, orig.stop_reason);
      for (const k of ['input_tokens', 'output_tokens', 'cache_read_input_tokens', 'cache_creation_input_tokens'] as const) {
        assert.equal(msg.usage[k], orig.usage[k], `turn ${i} usage.${k}`);
      }
    }
  });

  it('appends to an existing script file', async () => {
    const outFile = path.join(dir, 'rec.json');
    for (let round = 0; round < 2; round++) {
      const upstream = await start(script({ agent: 'a', content: [{ type: 'text', text: `round ${round}` }] }));
      proxy = await startRecordingProxy({ upstream: upstream.url, outFile });
      await clientFor(proxy, 'a', 'x').messages.create({ model: MODEL, max_tokens: 5, messages: userMsg('hi') });
      await proxy.close();
      proxy = undefined;
    }
    const texts = loadScript(outFile).turns.map((t) => (t.content[0] as { text: string }).text);
    assert.deepEqual(texts, ['round 0', 'round 1']);
  });

  it('answers 500 api_error when the upstream is unreachable', async () => {
    const gone = await start(script());
    await gone.close();
    proxy = await startRecordingProxy({ upstream: gone.url, outFile: path.join(dir, 'x.json') });
    const err = await rejection(clientFor(proxy).messages.create({ model: MODEL, max_tokens: 5, messages: userMsg('hi') }));
    assert.equal(err.status, 500);
    assert.equal(fs.existsSync(path.join(dir, 'x.json')), false);
  });
});
