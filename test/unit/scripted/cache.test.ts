import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import type { ScriptTurn } from '../../../src/scripted/scriptTypes';
import { MODEL, clientFor, script, useServer } from './helpers';

const turns = (n: number, extra: Partial<ScriptTurn> = {}): ScriptTurn[] =>
  Array.from({ length: n }, (_, i) => ({ agent: 'coder', content: [{ type: 'text', text: `reply ${i}` }], ...extra }));

const longSystem = 'You are a careful coding agent. Follow the house style. '.repeat(100); // ~5,600 chars ≈ 1,400 tokens
const cached = (text: string): Anthropic.TextBlockParam[] => [{ type: 'text', text, cache_control: { type: 'ephemeral' } }];
const total = (u: Anthropic.Usage) => u.input_tokens + (u.cache_read_input_tokens ?? 0) + (u.cache_creation_input_tokens ?? 0);

describe('scripted server: usage and prompt-cache simulation', () => {
  const { start } = useServer();

  it('writes the cache on the first request and reads it on the second', async () => {
    const server = await start(script(...turns(2)));
    const client = clientFor(server);
    const req = { model: MODEL, max_tokens: 10, system: cached(longSystem), messages: [{ role: 'user' as const, content: 'hi' }] };
    const first = (await client.messages.create(req)).usage;
    const second = (await client.messages.create(req)).usage;
    assert.equal(first.cache_read_input_tokens, 0);
    assert.ok(first.cache_creation_input_tokens! >= 1024, JSON.stringify(first));
    assert.equal(first.cache_creation?.ephemeral_5m_input_tokens, first.cache_creation_input_tokens);
    assert.ok(second.cache_read_input_tokens! > 0, JSON.stringify(second));
    assert.equal(second.cache_read_input_tokens, first.cache_creation_input_tokens);
    assert.equal(second.cache_creation_input_tokens, 0);
    assert.equal(total(first), total(second));
    assert.ok(second.input_tokens > 0, 'the uncached tail is still input');
  });

  it('caches nothing below the minimum length', async () => {
    const server = await start(script(...turns(2)));
    const client = clientFor(server);
    const req = { model: MODEL, max_tokens: 10, system: cached('Short system prompt.'), messages: [{ role: 'user' as const, content: 'hi' }] };
    for (let i = 0; i < 2; i++) {
      const u = (await client.messages.create(req)).usage;
      assert.equal(u.cache_read_input_tokens, 0);
      assert.equal(u.cache_creation_input_tokens, 0);
    }
  });

  it('reads the earlier prefix and writes the rest when the breakpoint moves forward', async () => {
    const server = await start(script(...turns(2)));
    const client = clientFor(server);
    const history: Anthropic.MessageParam[] = [{ role: 'user', content: 'first question' }];
    const first = (await client.messages.create({ model: MODEL, max_tokens: 10, system: cached(longSystem), messages: history })).usage;
    const longer: Anthropic.MessageParam[] = [
      ...history,
      { role: 'assistant', content: 'reply 0' },
      { role: 'user', content: cached('second question '.repeat(50)) },
    ];
    const second = (await client.messages.create({ model: MODEL, max_tokens: 10, system: cached(longSystem), messages: longer })).usage;
    assert.equal(second.cache_read_input_tokens, first.cache_creation_input_tokens);
    assert.ok(second.cache_creation_input_tokens! > 0);
    assert.ok(second.input_tokens < 10, `only what follows the last breakpoint is plain input: ${second.input_tokens}`);
  });

  it('finds the previous turn\'s prefix when the only message breakpoint moves forward (lookback)', async () => {
    const server = await start(script(...turns(2)));
    const client = clientFor(server);
    const tools = [{ name: 'read_file', input_schema: { type: 'object' as const }, cache_control: { type: 'ephemeral' as const } }];
    const turn1: Anthropic.MessageParam[] = [{ role: 'user', content: cached('Implement T1.') }];
    const first = (await client.messages.create({ model: MODEL, max_tokens: 10, tools, system: cached(longSystem), messages: turn1 })).usage;
    const turn2: Anthropic.MessageParam[] = [
      { role: 'user', content: 'Implement T1.' },
      { role: 'assistant', content: 'reply 0' },
      { role: 'user', content: cached('Now the tests.') },
    ];
    const second = (await client.messages.create({ model: MODEL, max_tokens: 10, tools, system: cached(longSystem), messages: turn2 })).usage;
    assert.equal(second.cache_read_input_tokens, first.cache_creation_input_tokens, 'the whole first request is read back');
    assert.ok(second.cache_creation_input_tokens! > 0 && second.cache_creation_input_tokens! < 50, JSON.stringify(second));
  });

  it('misses when the tools in front of the prefix change, and reports usage on streams too', async () => {
    const server = await start(script(...turns(3)));
    const client = clientFor(server);
    const base = { model: MODEL, max_tokens: 10, system: cached(longSystem), messages: [{ role: 'user' as const, content: 'hi' }] };
    const tool = (name: string) => ({ name, input_schema: { type: 'object' as const } });
    await client.messages.create({ ...base, tools: [tool('a')] });
    const changed = await client.messages.stream({ ...base, tools: [tool('b')] }).finalMessage();
    assert.equal(changed.usage.cache_read_input_tokens, 0);
    const same = await client.messages.stream({ ...base, tools: [tool('b')] }).finalMessage();
    assert.ok(same.usage.cache_read_input_tokens! > 0);
  });

  it('honours the top-level cache_control and the minCacheTokens option', async () => {
    const server = await start(script(...turns(2)), { minCacheTokens: 10 });
    const client = clientFor(server);
    const req = {
      model: MODEL,
      max_tokens: 10,
      cache_control: { type: 'ephemeral' as const },
      messages: [{ role: 'user' as const, content: 'a short prompt that is still over ten tokens long' }],
    };
    await client.messages.create(req);
    assert.ok((await client.messages.create(req)).usage.cache_read_input_tokens! > 0);
  });

  it('lets a turn override individual usage fields', async () => {
    const server = await start(script(...turns(1, { usage: { output_tokens: 4242, cache_read_input_tokens: 7 } })));
    const u = (await clientFor(server).messages.create({ model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] })).usage;
    assert.equal(u.output_tokens, 4242);
    assert.equal(u.cache_read_input_tokens, 7);
    assert.ok(u.input_tokens > 0);
    assert.deepEqual(server.log[0]!.usage, u);
  });
});
