import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import type { Fault } from '../../../src/scripted/scriptTypes';
import { MODEL, apiError, clientFor, hello, rejection, script, useServer } from './helpers';

const fullText = 'Partial text that will be cut off somewhere in the middle.';
const content = [
  { type: 'text' as const, text: fullText },
  { type: 'tool_use' as const, name: 'run', input: { cmd: 'npm test' } },
];
const faulty = (...faults: Fault[]) => script({ agent: 'coder', content, faults });
const create = (c: Anthropic) => c.messages.create({ model: MODEL, max_tokens: 50, messages: hello() });

describe('scripted server: faults', () => {
  const { start } = useServer();

  it('rate_limit: 429 rate_limit_error with a retry-after header, then the turn', async () => {
    const server = await start(faulty({ type: 'rate_limit', retry_after_s: 7 }));
    const client = clientFor(server);
    const err = await rejection(create(client));
    assert.ok(err instanceof Anthropic.RateLimitError);
    assert.equal(err.status, 429);
    assert.equal(err.headers.get('retry-after'), '7');
    assert.equal(apiError(err).type, 'rate_limit_error');
    assert.equal(server.log[0]!.fault, 'rate_limit');
    const msg = await create(client);
    assert.equal(msg.stop_reason, 'tool_use');
    assert.deepEqual(server.remainingTurns(), []);
  });

  it('spend_limit: 429 naming the workspace spend limit, no retry-after, and the SDK does not retry', async () => {
    const server = await start(faulty({ type: 'spend_limit' }));
    const client = new Anthropic({ apiKey: 'k', baseURL: server.url, maxRetries: 2, defaultHeaders: { 'x-munero-agent': 'coder' } });
    const err = await rejection(create(client));
    assert.equal(err.status, 429);
    assert.match(apiError(err).message, /workspace spend limit/);
    assert.equal(err.headers.get('retry-after'), null);
    assert.equal(server.log.length, 1, 'x-should-retry: false stops SDK retries');
  });

  it('overloaded: 529 overloaded_error', async () => {
    const server = await start(faulty({ type: 'overloaded' }));
    const err = await rejection(create(clientFor(server)));
    assert.equal(err.status, 529);
    assert.equal(apiError(err).type, 'overloaded_error');
  });

  it('server_error: 500 api_error', async () => {
    const server = await start(faulty({ type: 'server_error' }));
    const err = await rejection(create(clientFor(server)));
    assert.ok(err instanceof Anthropic.InternalServerError);
    assert.equal(apiError(err).type, 'api_error');
  });

  it('serves faults one per request in order, and an SDK with retries gets through', async () => {
    const server = await start(faulty({ type: 'rate_limit', retry_after_s: 0.05 }, { type: 'server_error' }));
    const client = new Anthropic({ apiKey: 'k', baseURL: server.url, maxRetries: 2, defaultHeaders: { 'x-munero-agent': 'coder' } });
    const msg = await create(client);
    assert.equal(msg.content.length, 2);
    assert.deepEqual(
      server.log.map((e) => [e.status, e.fault]),
      [
        [429, 'rate_limit'],
        [500, 'server_error'],
        [200, undefined],
      ],
    );
  });

  it('drop_mid_stream: the SDK stream fails after partial content; the turn is served next time', async () => {
    const server = await start(faulty({ type: 'drop_mid_stream' }));
    const client = clientFor(server);
    const stream = client.messages.stream({ model: MODEL, max_tokens: 50, messages: hello() });
    let partial = '';
    stream.on('text', (t) => (partial += t));
    const err = await rejection(stream.finalMessage());
    assert.ok(err instanceof Error);
    assert.ok(partial.length > 0 && fullText.startsWith(partial) && partial !== fullText, `partial: ${partial}`);
    const msg = await client.messages.stream({ model: MODEL, max_tokens: 50, messages: hello() }).finalMessage();
    assert.equal((msg.content[0] as Anthropic.TextBlock).text, fullText);
  });

  it('drop_mid_stream without streaming: the connection closes with no response', async () => {
    const server = await start(faulty({ type: 'drop_mid_stream' }));
    const err = await rejection(create(clientFor(server)));
    assert.ok(err instanceof Anthropic.APIConnectionError, String(err));
    assert.equal(server.log[0]!.status, 0);
  });

  it('error_event_mid_stream: a 200 stream that ends in an overloaded_error event', async () => {
    const server = await start(faulty({ type: 'error_event_mid_stream' }));
    const stream = clientFor(server).messages.stream({ model: MODEL, max_tokens: 50, messages: hello() });
    const err = await rejection(stream.finalMessage());
    assert.ok(err instanceof Anthropic.APIError, String(err));
    assert.equal((err as any).error.error.type, 'overloaded_error');
    assert.equal(server.log[0]!.status, 200);
  });

  it('latency: delays the response, then serves the turn', async () => {
    const server = await start(faulty({ type: 'latency', ms: 150 }));
    const t0 = Date.now();
    const msg = await create(clientFor(server));
    assert.ok(Date.now() - t0 >= 150, `took ${Date.now() - t0}ms`);
    assert.equal(msg.content.length, 2);
    assert.equal(server.log[0]!.fault, 'latency');
    assert.deepEqual(server.remainingTurns(), []);
  });

  it('gives the turn to the retry when the client timed out before the response', async () => {
    const server = await start(faulty({ type: 'latency', ms: 300 }));
    const client = new Anthropic({ apiKey: 'k', baseURL: server.url, maxRetries: 1, timeout: 100, defaultHeaders: { 'x-munero-agent': 'coder' } });
    const msg = await create(client);
    assert.equal(msg.content.length, 2);
    assert.deepEqual(
      server.log.map((e) => [e.status, e.errorMessage]),
      [
        [0, 'client disconnected before the response was sent'],
        [200, undefined],
      ],
    );
    assert.deepEqual(server.remainingTurns(), []);
  });

  it('latency_ms on a turn delays the first byte of a stream', async () => {
    const server = await start(script({ agent: 'coder', content, latency_ms: 120 }));
    const t0 = Date.now();
    await clientFor(server).messages.stream({ model: MODEL, max_tokens: 50, messages: hello() }).finalMessage();
    assert.ok(Date.now() - t0 >= 120);
  });
});
