import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { BuildManager, ConfigError, type BuildResult, type MuneroEvent } from '../../../src/core';
import { startScriptedServer } from '../../../src/scripted/server';
import type { Fault, ScriptTurn } from '../../../src/scripted/scriptTypes';
import { addAttempt, ADD_SPEC, makeWorkspace, managerFor, planTurn, serve, tool, writeConfig } from './helpers';
import { closedPort, selfSignedServer } from './faultServers';

/** A build whose endpoint is `baseURL`: every request goes over real HTTP through the SDK. */
async function buildAt(baseURL: string, workspace = makeWorkspace({ 'SPEC.md': ADD_SPEC })) {
  const manager = new BuildManager({ workspaceRoot: workspace, env: { apiKey: 'test-key', baseURL } });
  const events: MuneroEvent[] = [];
  manager.bus.events$.subscribe((e) => events.push(e));
  const result = await manager.start('SPEC.md');
  return { result, events, workspace, manager };
}

/** A build whose planner's first requests meet `faults`, then the plan and one passing attempt. */
async function buildWithPlannerFaults(faults: Fault[]) {
  const server = await serve([{ ...planTurn(), faults }, ...addAttempt()]);
  try {
    const workspace = makeWorkspace({ 'SPEC.md': ADD_SPEC });
    const { manager, events } = managerFor(workspace, server);
    const result = await manager.start('SPEC.md');
    return { result, events, server };
  } finally {
    await server.close();
  }
}

const retries = (events: MuneroEvent[]) => events.filter((e): e is Extract<MuneroEvent, { type: 'retry' }> => e.type === 'retry');

/** What every stop must hold: the endpoint and a next step named, the requirement not blamed on the plan. */
function assertExplained(result: BuildResult, endpoint: string, requests: number) {
  assert.ok(result.reason.includes(endpoint), `names ${endpoint}: ${result.reason}`);
  assert.match(result.reason, /munero resume/, 'says what to do next');
  assert.equal(result.usage.requests, requests, 'every attempt counts as a model request');
  for (const r of result.requirements) assert.doesNotMatch(r.reason ?? '', /no task serves it/);
}

describe('API faults: each stops or retries with a line naming the endpoint, the status, the cause and the next step', function () {
  this.timeout(60_000);

  describe('the endpoint cannot be reached as configured', () => {
    it('a base URL without a scheme is a configuration error at once, naming the setting, before any build exists', async () => {
      const workspace = makeWorkspace({ 'SPEC.md': ADD_SPEC });
      await assert.rejects(buildAt('localhost:8787', workspace), (err: Error) => {
        assert.ok(err instanceof ConfigError);
        assert.match(err.message, /"localhost:8787" \(ANTHROPIC_BASE_URL\) has no scheme: set ANTHROPIC_BASE_URL to http:\/\/localhost:8787/);
        return true;
      });
      assert.equal(fs.existsSync(path.join(workspace, '.munero', 'current.json')), false, 'no build record');
    });

    it('a host that refuses connections is retried with backoff, then the build pauses naming the URL and ECONNREFUSED', async () => {
      const url = `http://127.0.0.1:${await closedPort()}`;
      const { result, events } = await buildAt(url);
      assert.equal(result.outcome, 'paused');
      assert.ok(!result.apiRefused, 'a server may come back: resumable, not refused');
      assert.match(result.reason, /still failing after 4 attempts: connection refused \(ECONNREFUSED: .*\): nothing listens there; start the server or fix the base URL in ANTHROPIC_BASE_URL, then run `munero resume`/);
      assertExplained(result, url, 4);
      assert.equal(retries(events).length, 3);
      for (const r of retries(events)) assert.ok(r.reason.startsWith(`${url}: connection refused`), r.reason);
      assert.deepEqual(result.requirements.map((r) => r.reason), ['not planned yet (the build stopped before its plan)']);
    });

    it('port 9 (one fetch never connects to) stops at once, saying so', async () => {
      const { result } = await buildAt('http://127.0.0.1:9');
      assert.ok(result.apiRefused);
      assert.match(result.reason, /reserved port .*use another port in ANTHROPIC_BASE_URL/);
      assertExplained(result, 'http://127.0.0.1:9', 1);
    });

    it('a host name that does not resolve stops at once: DNS failure, ENOTFOUND', async () => {
      const { result } = await buildAt('http://no-such-host.invalid');
      assert.ok(result.apiRefused);
      assert.match(result.reason, /DNS lookup failed \(ENOTFOUND: getaddrinfo ENOTFOUND no-such-host\.invalid\): no such host; fix the host name in ANTHROPIC_BASE_URL/);
      assertExplained(result, 'http://no-such-host.invalid', 1);
    });

    it('https:// to a plain-HTTP server stops at once: the TLS handshake failed, use http://', async () => {
      const server = await serve([planTurn()]);
      try {
        const url = `https://127.0.0.1:${server.port}`;
        const { result } = await buildAt(url);
        assert.ok(result.apiRefused);
        assert.match(result.reason, /TLS handshake failed \(ERR_SSL_WRONG_VERSION_NUMBER: .*\): the server does not speak HTTPS; for a plain-HTTP server write http:\/\/ in ANTHROPIC_BASE_URL/);
        assertExplained(result, url, 1);
      } finally {
        await server.close();
      }
    });

    it('a self-signed certificate stops at once, pointing at NODE_EXTRA_CA_CERTS', async function () {
      const tls = await selfSignedServer();
      if (!tls) return this.skip(); // no openssl to make a certificate
      try {
        const { result } = await buildAt(tls.url);
        assert.ok(result.apiRefused);
        assert.match(result.reason, /TLS certificate not trusted \(DEPTH_ZERO_SELF_SIGNED_CERT: self[- ]signed certificate\); for your own proxy or gateway, start Munero with NODE_EXTRA_CA_CERTS/);
        assertExplained(result, tls.url, 1);
      } finally {
        await tls.close();
      }
    });
  });

  describe('what cannot succeed stops at once, resumable once fixed', () => {
    const status = { bad_key: 401, forbidden: 403, spend_limit: 429 };
    for (const [fault, line] of [
      ['bad_key', /401 authentication_error \(invalid x-api-key\): the API key was refused; set a valid key in ANTHROPIC_API_KEY/],
      ['forbidden', /403 permission_error \(Your API key does not have permission.*\): this key may not use claude-sonnet-5-5 at this endpoint/],
      ['spend_limit', /429 rate_limit_error \(.*spend limit.*\): the spend limit or credit balance is reached; raise it in the Anthropic console/],
    ] as const) {
      it(`${fault}: no retry, the build pauses with apiRefused and its line`, async () => {
        const { result, events, server } = await buildWithPlannerFaults([{ type: fault }]);
        assert.equal(result.outcome, 'paused');
        assert.deepEqual(result.apiRefused, { status: status[fault] });
        assert.match(result.reason, line);
        assertExplained(result, server.url, 1);
        assert.equal(server.log.length, 1);
        assert.equal(retries(events).length, 0);
      });
    }

    it('404 unknown model: lists the models the endpoint has (GET /v1/models), and resume --model finishes', async () => {
      const server = await startScriptedServer({ script: { version: 1, turns: [planTurn(), ...addAttempt()] }, models: ['claude-test-a', 'claude-test-b'] });
      try {
        const workspace = makeWorkspace({ 'SPEC.md': ADD_SPEC });
        const first = await managerFor(workspace, server).manager.start('SPEC.md');
        assert.deepEqual(first.apiRefused, { status: 404 });
        assert.match(first.reason, /404 not_found_error \(model: claude-sonnet-5-5\): the model claude-sonnet-5-5 does not exist here; models there: claude-test-a, claude-test-b\. Choose one with `munero resume --model M`/);
        assertExplained(first, server.url, 1);
        const resumed = await managerFor(workspace, server).manager.resume({ model: 'claude-test-b' });
        assert.equal(resumed.outcome, 'verified', resumed.reason);
        assert.deepEqual(server.remainingTurns(), []);
        assert.equal(resumed.usage.requests, 1 + 3, 'the refused attempt stays counted');
      } finally {
        await server.close();
      }
    });
  });

  describe('what may pass is retried with backoff and jitter', () => {
    it('429 without retry-after waits the jittered backoff (base 5 ms: 3.75 to 6.25 ms), then finishes', async () => {
      const { result, events } = await buildWithPlannerFaults([{ type: 'rate_limit', retry_after_s: null }]);
      assert.equal(result.outcome, 'verified', result.reason);
      const [retry] = retries(events);
      assert.ok(retry.delayMs >= 3 && retry.delayMs <= 7, `delay ${retry.delayMs}`);
      assert.match(retry.reason, /429 rate_limit_error \(Number of request tokens/);
      assert.equal(result.usage.requests, 4, 'the 429 counts: 1 refused + planner + 2 coder turns');
    });

    it('429 with retry-after waits exactly what the server asked, even beyond retryMaxMs (40 ms here)', async () => {
      const { events } = await buildWithPlannerFaults([{ type: 'rate_limit', retry_after_s: 0.06 }]);
      assert.equal(retries(events)[0].delayMs, 60);
    });

    it('429 asking to wait longer than 10 minutes pauses at once, saying how long', async () => {
      const { result } = await buildWithPlannerFaults([{ type: 'rate_limit', retry_after_s: 3600 }]);
      assert.equal(result.outcome, 'paused');
      assert.match(result.reason, /429 rate_limit_error \(.*\), and it asks to wait 3600 s \(retry-after\); wait for the rate limit to reset/);
    });

    it('529 and 500 until retries run out: paused, naming status, endpoint, attempts and the status page', async () => {
      for (const [fault, status] of [['overloaded', '529 overloaded_error \\(Overloaded\\)'], ['server_error', '500 api_error \\(Internal server error\\)']] as const) {
        const faults = Array.from({ length: 4 }, () => ({ type: fault }));
        const { result, events, server } = await buildWithPlannerFaults(faults);
        assert.equal(result.outcome, 'paused');
        assert.ok(!result.apiRefused);
        assert.match(result.reason, new RegExp(`still failing after 4 attempts: ${status}; run \`munero resume\` when the service is back \\(https://status\\.anthropic\\.com\\)`));
        assertExplained(result, server.url, 4);
        const delays = retries(events).map((r) => r.delayMs);
        assert.equal(delays.length, 3);
        assert.ok(delays[2] > delays[0], `backoff grows: ${delays.join(', ')}`);
      }
    });

    it('a stream cut in the middle of a tool_use block is retried and the build finishes', async () => {
      const { result, events, server } = await buildWithPlannerFaults([{ type: 'drop_mid_stream' }]);
      assert.equal(result.outcome, 'verified', result.reason);
      assert.equal(server.log[0].fault, 'drop_mid_stream');
      assert.match(retries(events)[0].reason, new RegExp(`^${server.url}: the connection `));
      assert.equal(result.usage.requests, 4);
    });

    it('a stream that stops sending bytes is given up after the idle timeout (request.idleTimeoutS) and retried', async () => {
      const server = await serve([{ ...planTurn(), faults: [{ type: 'stall' }] }, ...addAttempt()]);
      try {
        const workspace = makeWorkspace({ 'SPEC.md': ADD_SPEC });
        writeConfig(workspace, { request: { retryBaseMs: 5, retryMaxMs: 40, maxRetries: 3, idleTimeoutS: 0.3 } });
        const { manager, events } = managerFor(workspace, server);
        const result = await manager.start('SPEC.md');
        assert.equal(result.outcome, 'verified', result.reason);
        assert.match(retries(events)[0].reason, /the stream sent nothing for 0\.3 s \(idle timeout, "request": \{"idleTimeoutS"\} in \.munero\/config\.json\)/);
        assert.equal(server.log[0].fault, 'stall');
      } finally {
        await server.close();
      }
    });

    it('malformed JSON in a tool input is asked again and the build finishes', async () => {
      const { result, events, server } = await buildWithPlannerFaults([{ type: 'malformed_tool_input' }]);
      assert.equal(result.outcome, 'verified', result.reason);
      assert.equal(server.log[0].fault, 'malformed_tool_input');
      assert.match(retries(events)[0].reason, /the reply's tool input was not valid JSON/);
      assert.equal(result.usage.requests, 4);
    });
  });

  describe('413 request too large, 400 prompt is too long', () => {
    const BIG = 'x'.repeat(11_000);
    const readThenAdd = (faults: Fault[]): ScriptTurn[] => [
      planTurn(),
      { agent: 'coder', task: 'T1', content: [tool('read_file', { path: 'big.txt' })] },
      addAttempt()[0],
      { ...addAttempt()[1], faults },
    ];
    const workspace = () => {
      const ws = makeWorkspace({ 'SPEC.md': ADD_SPEC, 'big.txt': BIG });
      writeConfig(ws, { maxContextChars: 20_000 });
      return ws;
    };

    for (const [fault, status] of [['request_too_large', 413], ['prompt_too_long', 400]] as const) {
      it(`${fault} (${status}): shrinks the context (older tool results elided) and asks once more`, async () => {
        const server = await serve(readThenAdd([{ type: fault }]));
        try {
          const { manager, events } = managerFor(workspace(), server);
          const result = await manager.start('SPEC.md');
          assert.equal(result.outcome, 'verified', result.reason);
          const [tooLarge, again] = server.log.filter((e) => e.turnIndex === 3);
          assert.equal(tooLarge.status, status);
          assert.equal(again.status, 200);
          const size = (e: typeof again) => JSON.stringify(e.body).length;
          assert.ok(size(again) < size(tooLarge) - 10_000, `${size(again)} < ${size(tooLarge)}`);
          assert.match(JSON.stringify(again.body), /characters elided from an older turn/);
          assert.ok(events.some((e) => e.type === 'log' && e.message.includes(`too large (${status}); asking again`)));
        } finally {
          await server.close();
        }
      });
    }

    it('a second 413 stops the build with its line', async () => {
      const server = await serve(readThenAdd([{ type: 'request_too_large' }, { type: 'request_too_large' }]));
      try {
        const { manager } = managerFor(workspace(), server);
        const result = await manager.start('SPEC.md');
        assert.ok(result.apiRefused);
        assert.match(result.reason, /413 request_too_large \(Request exceeds the maximum allowed number of bytes\.\): the request is too large even with the context shrunk; lower maxContextChars in \.munero\/config\.json/);
        assertExplained(result, server.url, 5);
      } finally {
        await server.close();
      }
    });
  });
});
