import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { MODEL, apiError, clientFor, rejection, script, useServer } from './helpers';

const tool = (name: string, extra: object = {}) => ({
  name,
  description: `the ${name} tool`,
  input_schema: { type: 'object' as const, properties: { path: { type: 'string' } } },
  ...extra,
});
const use = (id: string, name = 'read_file') => ({ type: 'tool_use' as const, id, name, input: { path: 'a' } });
const result = (id: string, content = 'ok') => ({ type: 'tool_result' as const, tool_use_id: id, content });

/** Each case: a request the real API rejects, and (a fragment of) its 400 message. */
const cases: Array<[string, Record<string, unknown>, RegExp]> = [
  ['model missing', { model: undefined, max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }, /^model: Field required$/],
  ['max_tokens missing', { max_tokens: undefined, messages: [{ role: 'user', content: 'hi' }] }, /^max_tokens: Field required$/],
  ['max_tokens not an integer', { max_tokens: 1.5, messages: [{ role: 'user', content: 'hi' }] }, /^max_tokens: .*integer/],
  ['max_tokens negative', { max_tokens: -1, messages: [{ role: 'user', content: 'hi' }] }, /^max_tokens: .*greater than or equal/],
  ['messages missing', { messages: undefined }, /^messages: Field required$/],
  ['messages empty', { messages: [] }, /^messages: at least one message is required$/],
  [
    'unanswered tool_use',
    {
      messages: [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: [use('toolu_a'), use('toolu_b')] },
        { role: 'user', content: [result('toolu_a')] },
      ],
    },
    /^messages\.1: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_b\./,
  ],
  [
    'tool_use answered only two messages later',
    {
      messages: [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: [use('toolu_a')] },
        { role: 'user', content: 'wait' },
        { role: 'assistant', content: 'ok' },
        { role: 'user', content: [result('toolu_a')] },
      ],
    },
    /^messages\.1: `tool_use` ids were found without `tool_result` blocks/,
  ],
  [
    'tool_result naming no tool_use of the previous assistant message',
    {
      messages: [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: [use('toolu_a')] },
        { role: 'user', content: [result('toolu_a'), result('toolu_zzz')] },
      ],
    },
    /^messages\.2\.content\.1: unexpected `tool_use_id` found in `tool_result` blocks: toolu_zzz\./,
  ],
  [
    'text before tool_result',
    {
      messages: [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: [use('toolu_a')] },
        { role: 'user', content: [{ type: 'text', text: 'here you go' }, result('toolu_a')] },
      ],
    },
    /^messages\.2\.content\.0: tool_result blocks must come first/,
  ],
  [
    'text before tool_result via a merged consecutive user message',
    {
      messages: [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: [use('toolu_a')] },
        { role: 'user', content: 'note' },
        { role: 'user', content: [result('toolu_a')] },
      ],
    },
    /^messages\.2: tool_result blocks must come first/,
  ],
  [
    'empty text block',
    { messages: [{ role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'text', text: '' }] }] },
    /^messages\.0\.content\.1: text content blocks must be non-empty$/,
  ],
  [
    'whitespace-only text block',
    { messages: [{ role: 'user', content: [{ type: 'text', text: ' \n' }] }] },
    /^messages\.0\.content\.0: text content blocks must contain non-whitespace text$/,
  ],
  [
    'empty text inside a tool_result',
    {
      messages: [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: [use('toolu_a')] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_a', content: [{ type: 'text', text: '' }] }] },
      ],
    },
    /^messages\.2\.content\.0\.content\.0: text content blocks must be non-empty$/,
  ],
  [
    'empty system text block',
    { system: [{ type: 'text', text: '' }], messages: [{ role: 'user', content: 'hi' }] },
    /^system\.0: text content blocks must be non-empty$/,
  ],
  [
    'empty non-final message',
    { messages: [{ role: 'user', content: '' }, { role: 'assistant', content: 'x' }, { role: 'user', content: 'y' }] },
    /^messages\.0: all messages must have non-empty content/,
  ],
  [
    'five cache_control blocks across tools, system and messages',
    {
      tools: [tool('a', { cache_control: { type: 'ephemeral' } }), tool('b', { cache_control: { type: 'ephemeral' } })],
      system: [{ type: 'text', text: 'sys', cache_control: { type: 'ephemeral' } }],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'one', cache_control: { type: 'ephemeral' } }] },
        { role: 'assistant', content: 'two' },
        { role: 'user', content: [{ type: 'text', text: 'three', cache_control: { type: 'ephemeral' } }] },
      ],
    },
    /^A maximum of 4 blocks with cache_control may be provided\. Found 5\.$/,
  ],
  [
    'bad tool name',
    { tools: [tool('read file')], messages: [{ role: 'user', content: 'hi' }] },
    /^tools\.0\.name: String should match pattern '\^\[a-zA-Z0-9_-\]\{1,64\}\$'$/,
  ],
  [
    'tool name longer than 64 characters',
    { tools: [tool('x'.repeat(65))], messages: [{ role: 'user', content: 'hi' }] },
    /^tools\.0\.name: String should match pattern/,
  ],
  [
    'duplicate tool names',
    { tools: [tool('read_file'), tool('read_file')], messages: [{ role: 'user', content: 'hi' }] },
    /^tools: Tool names must be unique/,
  ],
  [
    'input_schema without type object',
    { tools: [{ name: 'x', input_schema: { properties: {} } }], messages: [{ role: 'user', content: 'hi' }] },
    /^tools\.0\.custom\.input_schema\.type: Input should be 'object'$/,
  ],
  [
    'prefill ending in whitespace',
    { messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'The answer is ' }] },
    /^messages: final assistant content cannot end with trailing whitespace$/,
  ],
];

describe('scripted server: request validation', () => {
  const { start } = useServer();

  for (const [name, body, message] of cases) {
    it(`rejects: ${name}`, async () => {
      const server = await start(script({ agent: 'coder', content: [{ type: 'text', text: 'never served' }] }));
      const req = { model: MODEL, max_tokens: 10, ...body } as any;
      const err = await rejection(clientFor(server).messages.create(req));
      assert.ok(err instanceof Anthropic.BadRequestError, String(err));
      assert.equal(err.status, 400);
      assert.equal((err as any).error.type, 'error');
      assert.equal(apiError(err).type, 'invalid_request_error');
      assert.match(apiError(err).message, message);
      assert.equal(server.rejected().length, 1);
      assert.equal(server.remainingTurns().length, 1, 'a rejected request consumes no turn');
    });
  }

  it('rejects a request without anthropic-version', async () => {
    const server = await start(script());
    const res = await fetch(`${server.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': 'k', 'content-type': 'application/json' },
      body: JSON.stringify({ model: MODEL, max_tokens: 1, messages: [{ role: 'user', content: 'hi' }] }),
    });
    assert.equal(res.status, 400);
    assert.match(((await res.json()) as any).error.message, /anthropic-version/);
  });

  it('accepts a whole multi-turn tool conversation echoed back by the client', async () => {
    const server = await start(
      script(
        { agent: 'coder', content: [{ type: 'text', text: 'Looking.' }, { type: 'tool_use', name: 'read_file', input: { path: 'a.ts' } }] },
        {
          agent: 'coder',
          content: [
            { type: 'tool_use', name: 'read_file', input: { path: 'b.ts' } },
            { type: 'tool_use', name: 'write_file', input: { path: 'c.ts', text: 'x' } },
          ],
          expect: { tool_results_contain: ['contents of a.ts'] },
        },
        { agent: 'coder', content: [{ type: 'text', text: 'All done.' }], expect: { tool_results_contain: ['wrote c.ts', 'contents of b.ts'] } },
      ),
    );
    const client = clientFor(server);
    const tools = [tool('read_file', { cache_control: { type: 'ephemeral' } }), tool('write_file')];
    const system = [{ type: 'text' as const, text: 'You are the coder.', cache_control: { type: 'ephemeral' as const } }];
    const messages: Anthropic.MessageParam[] = [{ role: 'user', content: 'Implement T1.' }];
    for (let turn = 0; turn < 5; turn++) {
      const msg = await client.messages.create({ model: MODEL, max_tokens: 100, tools, system, messages });
      messages.push({ role: 'assistant', content: msg.content });
      if (msg.stop_reason !== 'tool_use') break;
      const results = msg.content
        .filter((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use')
        .map((b) => {
          const path = (b.input as { path: string }).path;
          return result(b.id, b.name === 'write_file' ? `wrote ${path}` : `contents of ${path}`);
        });
      messages.push({ role: 'user', content: [...results, { type: 'text', text: 'Continue.', cache_control: { type: 'ephemeral' } }] });
    }
    assert.deepEqual(server.rejected(), []);
    assert.deepEqual(server.remainingTurns(), []);
    assert.equal(messages.length, 6);
  });

  it('does not reject consecutive same-role messages or a conversation starting with assistant', async () => {
    const server = await start(script({ agent: 'coder', content: [{ type: 'text', text: 'a' }] }, { agent: 'coder', content: [{ type: 'text', text: 'b' }] }));
    const client = clientFor(server);
    await client.messages.create({
      model: MODEL,
      max_tokens: 10,
      messages: [
        { role: 'user', content: 'one' },
        { role: 'user', content: 'two' },
        { role: 'assistant', content: 'three' },
        { role: 'assistant', content: 'four' },
        { role: 'user', content: 'five' },
      ],
    });
    await client.messages.create({
      model: MODEL,
      max_tokens: 10,
      messages: [
        { role: 'assistant', content: 'I start.' },
        { role: 'user', content: 'fine' },
        { role: 'assistant', content: 'Prefill without trailing space' },
      ],
    });
    assert.deepEqual(server.rejected(), []);
  });

  it('answers 500 with "script expectation failed" when tool results miss an expected substring', async () => {
    const server = await start(
      script(
        { agent: 'coder', content: [{ type: 'tool_use', id: 'toolu_x1', name: 'run_tests', input: {} }] },
        { agent: 'coder', content: [{ type: 'text', text: 'green' }], expect: { tool_results_contain: ['12 passing'] } },
      ),
    );
    const client = clientFor(server);
    const first = await client.messages.create({ model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'go' }] });
    const err = await rejection(
      client.messages.create({
        model: MODEL,
        max_tokens: 10,
        messages: [
          { role: 'user', content: 'go' },
          { role: 'assistant', content: first.content },
          { role: 'user', content: [result('toolu_x1', '3 failing')] },
        ],
      }),
    );
    assert.equal(err.status, 500);
    assert.match(apiError(err).message, /script expectation failed for turn 1 .*"12 passing".*3 failing/);
    assert.equal(err.headers.get('x-should-retry'), 'false');
    assert.equal(server.remainingTurns().length, 1, 'the turn stays unconsumed');
  });
});
