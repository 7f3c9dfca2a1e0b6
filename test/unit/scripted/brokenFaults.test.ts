import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { startScriptedServer } from '../../../src/scripted/server';
import type { Fault } from '../../../src/scripted/scriptTypes';
import { MODEL, apiError, clientFor, hello, rejection, script, useServer } from './helpers';

const content = [{ type: 'tool_use' as const, name: 'write_file', input: { path: 'a.js', content: 'x' } }];
const faulty = (...faults: Fault[]) => script({ agent: 'coder', content, faults });
const stream = (c: Anthropic) => c.messages.stream({ model: MODEL, max_tokens: 50, messages: hello() });

describe('scripted server: refusals, broken streams and the model list', () => {
  const { start } = useServer();

  for (const [fault, status, type] of [
    ['bad_key', 401, 'authentication_error'],
    ['forbidden', 403, 'permission_error'],
    ['request_too_large', 413, 'request_too_large'],
    ['prompt_too_long', 400, 'invalid_request_error'],
  ] as const) {
    it(`${fault}: ${status} ${type}, then the turn`, async () => {
      const server = await start(faulty({ type: fault }));
      const err = await rejection(stream(clientFor(server)).finalMessage());
      assert.equal(err.status, status);
      assert.equal(apiError(err).type, type);
      assert.equal((await stream(clientFor(server)).finalMessage()).stop_reason, 'tool_use');
    });
  }

  it('rate_limit with retry_after_s null: a 429 without a retry-after header', async () => {
    const server = await start(faulty({ type: 'rate_limit', retry_after_s: null }));
    const err = await rejection(stream(clientFor(server)).finalMessage());
    assert.equal(err.status, 429);
    assert.equal(err.headers.get('retry-after'), null);
  });

  it('stall: the stream starts, then sends nothing until the client gives up', async () => {
    const server = await start(faulty({ type: 'stall' }));
    const controller = new AbortController();
    const s = clientFor(server).messages.stream({ model: MODEL, max_tokens: 50, messages: hello() }, { signal: controller.signal });
    let events = 0;
    s.on('streamEvent', () => {
      if (++events === 4) controller.abort(); // message_start, ping, the block's start, its first fragment
    });
    const err = await rejection(s.finalMessage());
    assert.ok(err instanceof Anthropic.APIUserAbortError, String(err));
    assert.equal(events, 4, 'nothing came after the first fragment');
    assert.equal(server.log[0]!.fault, 'stall');
  });

  it('malformed_tool_input: a complete stream whose tool input is not JSON; the SDK rejects it', async () => {
    const server = await start(faulty({ type: 'malformed_tool_input' }));
    const err = await rejection(stream(clientFor(server)).finalMessage());
    assert.match(String(err), /JSON/);
    assert.equal((await stream(clientFor(server)).finalMessage()).content.length, 1);
  });

  it('models: GET /v1/models lists them, and a request for another model is a 404 naming it', async () => {
    const server = await startScriptedServer({ script: faulty(), models: ['claude-x', 'claude-y'] });
    try {
      const client = clientFor(server);
      const page = await client.models.list();
      assert.deepEqual(page.data.map((m) => m.id), ['claude-x', 'claude-y']);
      const err = await rejection(stream(client).finalMessage());
      assert.equal(err.status, 404);
      assert.deepEqual(apiError(err), { type: 'not_found_error', message: `model: ${MODEL}` });
      const ok = await client.messages.stream({ model: 'claude-y', max_tokens: 50, messages: hello() }).finalMessage();
      assert.equal(ok.stop_reason, 'tool_use');
    } finally {
      await server.close();
    }
  });
});
