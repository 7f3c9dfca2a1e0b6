import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { MODEL, apiError, clientFor, hello, rejection, script, useServer } from './helpers';

const toolTurn = script(
  {
    agent: 'coder',
    content: [
      { type: 'text', text: 'Reading the file first.' },
      { type: 'tool_use', name: 'read_file', input: { path: 'src/a.ts', range: { from: 1, to: 20 }, note: 'ünïcødé ✓' } },
    ],
  },
  { agent: 'coder', content: [{ type: 'text', text: 'Done.' }] },
);

describe('scripted server: responses', () => {
  const { start } = useServer();

  it('serves text and tool_use blocks without streaming', async () => {
    const server = await start(toolTurn);
    const msg = await clientFor(server).messages.create({ model: MODEL, max_tokens: 100, messages: hello() });
    assert.equal(msg.type, 'message');
    assert.equal(msg.model, MODEL);
    assert.match(msg.id, /^msg_/);
    assert.equal(msg.stop_reason, 'tool_use');
    assert.deepEqual(msg.content[0], { type: 'text', text: 'Reading the file first.', citations: null });
    const tool = msg.content[1] as Anthropic.ToolUseBlock;
    assert.equal(tool.type, 'tool_use');
    assert.match(tool.id, /^toolu_[A-Za-z0-9_-]+$/);
    assert.deepEqual(tool.input, { path: 'src/a.ts', range: { from: 1, to: 20 }, note: 'ünïcødé ✓' });
    assert.ok(msg.usage.input_tokens > 0 && msg.usage.output_tokens > 0);
    assert.equal(server.log[0]!.status, 200);
    assert.equal(server.log[0]!.turnIndex, 0);
  });

  it('streams the same content with messages.stream() / finalMessage()', async () => {
    const server = await start(toolTurn);
    const stream = clientFor(server).messages.stream({ model: MODEL, max_tokens: 100, messages: hello() });
    const events: string[] = [];
    let jsonFragments = 0;
    stream.on('streamEvent', (e) => {
      events.push(e.type);
      if (e.type === 'content_block_delta' && e.delta.type === 'input_json_delta') jsonFragments++;
    });
    const msg = await stream.finalMessage();
    assert.equal(msg.stop_reason, 'tool_use');
    assert.equal((msg.content[0] as Anthropic.TextBlock).text, 'Reading the file first.');
    const tool = msg.content[1] as Anthropic.ToolUseBlock;
    assert.deepEqual(tool.input, { path: 'src/a.ts', range: { from: 1, to: 20 }, note: 'ünïcødé ✓' });
    assert.equal(events[0], 'message_start');
    assert.deepEqual(events.slice(-2), ['message_delta', 'message_stop']);
    assert.ok(jsonFragments >= 3, `tool input arrives in several fragments (got ${jsonFragments})`);
    assert.ok(msg.usage.output_tokens > 1);
    assert.equal(server.log[0]!.stream, true);
  });

  it('sends a ping after message_start on the wire', async () => {
    const server = await start(script({ agent: 'coder', content: [{ type: 'text', text: 'hello' }] }));
    const res = await fetch(`${server.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': 'k', 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
      body: JSON.stringify({ model: MODEL, max_tokens: 10, stream: true, messages: hello() }),
    });
    assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
    const names = [...(await res.text()).matchAll(/^event: (\w+)$/gm)].map((m) => m[1]);
    assert.deepEqual(names.slice(0, 3), ['message_start', 'ping', 'content_block_start']);
    assert.deepEqual(names.slice(-3), ['content_block_stop', 'message_delta', 'message_stop']);
  });

  it('defaults stop_reason to end_turn and honours an explicit one', async () => {
    const server = await start(
      script(
        { agent: 'coder', content: [{ type: 'text', text: 'a' }] },
        { agent: 'coder', content: [{ type: 'text', text: 'b' }], stop_reason: 'max_tokens' },
        { agent: 'coder', content: [{ type: 'text', text: 'c' }], stop_reason: 'refusal' },
      ),
    );
    const c = clientFor(server);
    const ask = () => c.messages.create({ model: MODEL, max_tokens: 10, messages: hello() });
    assert.equal((await ask()).stop_reason, 'end_turn');
    assert.equal((await ask()).stop_reason, 'max_tokens');
    const refusal = await ask();
    assert.equal(refusal.stop_reason, 'refusal');
    assert.equal(refusal.stop_details?.type, 'refusal');
  });

  it('matches turns by agent and task, with interleaved parallel tasks', async () => {
    const server = await start(
      script(
        { agent: 'planner', content: [{ type: 'text', text: 'plan' }] },
        { agent: 'coder', task: 'T1', content: [{ type: 'text', text: 'T1 first' }] },
        { agent: 'coder', task: 'T2', content: [{ type: 'text', text: 'T2 first' }], latency_ms: 50 },
        { agent: 'coder', task: 'T1', content: [{ type: 'text', text: 'T1 second' }] },
        { agent: 'coder', content: [{ type: 'text', text: 'any task' }] },
        { agent: 'coder', task: 'T2', content: [{ type: 'text', text: 'T2 second' }] },
      ),
    );
    const text = async (agent: string, task: string) => {
      const m = await clientFor(server, agent, task).messages.create({ model: MODEL, max_tokens: 10, messages: hello() });
      return (m.content[0] as Anthropic.TextBlock).text;
    };
    const [t2a, t1a] = await Promise.all([text('coder', 'T2'), text('coder', 'T1')]);
    assert.deepEqual([t1a, t2a], ['T1 first', 'T2 first']);
    assert.equal(await text('coder', 'T2'), 'any task');
    assert.equal(await text('coder', 'T2'), 'T2 second');
    assert.equal(await text('coder', 'T1'), 'T1 second');
    assert.equal(await text('planner', 'X'), 'plan');
    assert.deepEqual(server.remainingTurns(), []);
  });

  it('answers 500 api_error naming agent and task when no turn is left', async () => {
    const server = await start(script({ agent: 'coder', task: 'T1', content: [{ type: 'text', text: 'only' }] }));
    await clientFor(server, 'coder', 'T1').messages.create({ model: MODEL, max_tokens: 10, messages: hello() });
    const err = await rejection(clientFor(server, 'coder', 'T1').messages.create({ model: MODEL, max_tokens: 10, messages: hello() }));
    assert.ok(err instanceof Anthropic.InternalServerError);
    assert.equal(err.status, 500);
    assert.equal(apiError(err).type, 'api_error');
    assert.equal(apiError(err).message, 'scripted server: no turn left for agent=coder task=T1');
    const err2 = await rejection(clientFor(server, 'reflector', 'T9').messages.create({ model: MODEL, max_tokens: 10, messages: hello() }));
    assert.equal(apiError(err2).message, 'scripted server: no turn left for agent=reflector task=T9');
    assert.equal(server.log.at(-1)!.status, 500);
    assert.match(server.log.at(-1)!.errorMessage!, /no turn left/);
  });

  it('serves the first unconsumed turn of the script when the agent header is absent', async () => {
    const server = await start(
      script({ agent: 'planner', content: [{ type: 'text', text: 'first' }] }, { agent: 'coder', content: [{ type: 'text', text: 'second' }] }),
    );
    const c = new Anthropic({ apiKey: 'k', baseURL: server.url, maxRetries: 0 });
    const texts = [];
    for (let i = 0; i < 2; i++) {
      const m = await c.messages.create({ model: MODEL, max_tokens: 10, messages: hello() });
      texts.push((m.content[0] as Anthropic.TextBlock).text);
    }
    assert.deepEqual(texts, ['first', 'second']);
  });

  it('answers 401 without credentials, 404 for unknown paths, 400 for malformed JSON', async () => {
    const server = await start(script());
    const post = (path: string, headers: Record<string, string>, body: string) =>
      fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    const auth = { 'x-api-key': 'k', 'anthropic-version': '2023-06-01' };
    const noKey = await post('/v1/messages', { 'anthropic-version': '2023-06-01' }, '{}');
    assert.equal(noKey.status, 401);
    assert.equal(((await noKey.json()) as any).error.type, 'authentication_error');
    const notFound = await post('/v1/complete', auth, '{}');
    assert.equal(notFound.status, 404);
    assert.deepEqual(Object.keys((await notFound.json()) as object), ['type', 'error', 'request_id']);
    const badJson = await post('/v1/messages', auth, '{"model": ');
    assert.equal(badJson.status, 400);
    const body = (await badJson.json()) as any;
    assert.equal(body.type, 'error');
    assert.equal(body.error.type, 'invalid_request_error');
    const bearer = await post('/v1/messages', { authorization: 'Bearer k', 'anthropic-version': '2023-06-01' }, '{}');
    assert.equal(bearer.status, 400, 'authorization header counts as credentials');
  });

  it('pre-warms the cache for max_tokens 0 without consuming a turn', async () => {
    const server = await start(script({ agent: 'coder', content: [{ type: 'text', text: 'kept' }] }));
    const m = await clientFor(server).messages.create({ model: MODEL, max_tokens: 0, messages: hello() });
    assert.deepEqual(m.content, []);
    assert.equal(m.stop_reason, 'max_tokens');
    assert.equal(server.remainingTurns().length, 1);
  });

  it('applies the latencyMs option to every turn', async () => {
    const server = await start(script({ agent: 'coder', content: [{ type: 'text', text: 'x' }] }), { latencyMs: 80 });
    const t0 = Date.now();
    await clientFor(server).messages.create({ model: MODEL, max_tokens: 10, messages: hello() });
    assert.ok(Date.now() - t0 >= 80);
  });
});
