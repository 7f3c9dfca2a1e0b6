import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Conversation } from '../../../src/core/agents/conversation';
import { runAgent } from '../../../src/core/agents/runAgent';
import { EventBus } from '../../../src/core/events/bus';
import { ModelClient } from '../../../src/core/llm/modelClient';

describe('a resumed agent', () => {
  it('that had finished returns its result without asking the model again', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'munero-conv-')), 'coder.jsonl');
    const before = new Conversation(file);
    before.addUser('brief');
    before.addAssistant([{ type: 'tool_use', id: 'toolu_1', name: 'task_complete', input: { summary: 'done' } }]);
    before.addToolResult('toolu_1', 'Recorded.', false);
    before.addFinished('done');
    before.close();

    // Nothing listens on port 1: any request would fail the test.
    const model = new ModelClient({ apiKey: 'k', baseURL: 'http://127.0.0.1:1', model: 'm', maxTokens: 10, requestTimeoutMs: 500, maxRetries: 0, retryBaseMs: 1, retryMaxMs: 1 });
    let requests = 0;
    const result = await runAgent<string>(
      { agentId: 'coder-T1-a1', role: 'coder', taskId: 'T1', system: 's', tools: [], brief: 'brief', maxTurns: 3 },
      { model, bus: new EventBus(), conversationFile: file, beforeRequest: () => void requests++, afterResponse: () => {} },
      async () => ({ outcome: { ok: true, content: '' } }),
    );
    assert.deepEqual(result, { kind: 'finished', value: 'done' });
    assert.equal(requests, 0);
  });
});
