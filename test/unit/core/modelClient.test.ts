import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ModelUnavailableError } from '../../../src/core/llm/errors';
import { ModelClient } from '../../../src/core/llm/modelClient';

describe('the model client', () => {
  it('gives up on a stream that starts and then stalls, within the request timeout', async () => {
    // A server that answers 200 with the first SSE events, then only pings, forever.
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const start = { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'm', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 1, output_tokens: 0 } } };
      res.write(`event: message_start\ndata: ${JSON.stringify(start)}\n\n`);
      const ping = setInterval(() => res.write('event: ping\ndata: {"type": "ping"}\n\n'), 100);
      res.on('close', () => clearInterval(ping));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const client = new ModelClient({ apiKey: 'k', baseURL: url, model: 'm', maxTokens: 10, requestTimeoutMs: 600, maxRetries: 0, retryBaseMs: 1, retryMaxMs: 1 });
    const started = Date.now();
    try {
      await assert.rejects(
        client.turn({ agentId: 'a', role: 'coder', system: 's', tools: [], messages: [{ role: 'user', content: 'hi' }] }),
        (err: unknown) => err instanceof ModelUnavailableError && /no complete response within 1 s/.test(err.message),
      );
      assert.ok(Date.now() - started < 3000, `gave up after ${Date.now() - started} ms`);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
