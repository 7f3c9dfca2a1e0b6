import assert from 'node:assert/strict';
import { CODER_TOOLS, PLANNER_TOOLS } from '../../../src/core/tools/definitions';
import { executeTool } from '../../../src/core/tools/executeTool';
import type { ToolOutcome } from '../../../src/core/tools/types';
import { testWorkspace, writeTree, type TestWorkspace } from './helpers';

const content = (o: ToolOutcome) => (o.ok ? o.content : assert.fail(o.error));
const error = (o: ToolOutcome) => (o.ok ? assert.fail(o.content) : o.error);

describe('executeTool', () => {
  let ws: TestWorkspace;
  beforeEach(() => (ws = testWorkspace({ allow: ['echo *', 'exit 4', 'sleep *'] })));
  afterEach(() => ws.cleanup());

  it('names the known tools when the tool is unknown', async () => {
    const msg = error(await executeTool('delete_everything', {}, ws.ctx));
    assert.match(msg, /Unknown tool "delete_everything"/);
    for (const name of ['list_files', 'read_file', 'search_files', 'write_file', 'edit_file', 'run_command', 'task_complete', 'submit_plan']) {
      assert.ok(msg.includes(name), name);
    }
  });

  it('names a missing field', async () => {
    assert.match(error(await executeTool('write_file', { path: 'a.txt' }, ws.ctx)), /"content" is required/);
  });

  it('names a field of the wrong type', async () => {
    assert.match(error(await executeTool('read_file', { path: 'a.txt', start_line: 'two' }, ws.ctx)), /"start_line" must be integer/);
    assert.match(error(await executeTool('read_file', { path: 'a.txt', start_line: 0 }, ws.ctx)), /"start_line" must be >= 1/);
  });

  it('names unknown fields, nested fields, and a non-object input', async () => {
    assert.match(error(await executeTool('read_file', { path: 'a', file: 'b' }, ws.ctx)), /"file" is not a known field/);
    const plan = { tasks: [{ id: 'T1', title: 't', description: 'd', requirements: [], depends_on: [] }] };
    assert.match(error(await executeTool('submit_plan', plan, ws.ctx)), /"tasks\[0\]\.files" is required/);
    assert.match(error(await executeTool('list_files', 'src', ws.ctx)), /input must be object/);
  });

  it('turns an exception thrown inside a tool into an error outcome', async () => {
    ws.ctx.changes = {
      propose: async () => {
        throw new Error('disk on fire');
      },
      pendingContent: () => undefined,
      noteRead: () => {},
    };
    assert.match(error(await executeTool('write_file', { path: 'a.txt', content: 'x' }, ws.ctx)), /write_file failed: disk on fire/);
  });

  it('caps every result, keeping head and tail', async () => {
    // read_file and search_files fit themselves to the limit; list_files relies on this cap.
    ws.ctx.limits.maxResultChars = 300;
    writeTree(ws.root, Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`f${String(i).padStart(3, '0')}.txt`, ''])));
    const out = content(await executeTool('list_files', {}, ws.ctx));
    assert.ok(out.length <= 300, `length ${out.length}`);
    assert.match(out, /^f000\.txt\n/);
    assert.match(out, /characters omitted/);
    assert.match(out, /f099\.txt$/);
  });

  it('acknowledges the definition-only tools', async () => {
    assert.ok((await executeTool('task_complete', { summary: 'done' }, ws.ctx)).ok);
  });

  describe('run_command', () => {
    it('runs an allowed command and reports exit code, duration and output', async () => {
      const out = content(await executeTool('run_command', { command: 'echo hello' }, ws.ctx));
      assert.match(out, /^\$ echo hello\nexit code 0, \d+\.\d s\noutput:\nhello/);
      assert.match(content(await executeTool('run_command', { command: 'exit 4' }, ws.ctx)), /exit code 4/);
    });

    it('refuses a command the policy does not allow, saying how to allow it', async () => {
      const msg = error(await executeTool('run_command', { command: 'rm -rf .' }, ws.ctx));
      assert.match(msg, /not allowed/);
      assert.match(msg, /commands\.allow/);
    });

    it('refuses a chained command against a prefix entry, and does not run it', async () => {
      const msg = error(await executeTool('run_command', { command: 'echo hi && touch pwned' }, ws.ctx));
      assert.match(msg, /shell operator "&&"/);
      assert.match(content(await executeTool('list_files', {}, ws.ctx)), /empty/);
    });

    it('applies the timeout ceiling', async () => {
      ws.ctx.limits.maxCommandTimeoutS = 0.3;
      const out = content(await executeTool('run_command', { command: 'sleep 30', timeout_s: 100 }, ws.ctx));
      assert.match(out, /timed out after 0\.3 s/);
    });
  });
});

describe('tool definitions', () => {
  it('has the coder and planner tools, each with a description and a closed schema', () => {
    assert.deepEqual(
      CODER_TOOLS.map((t) => t.name),
      ['list_files', 'read_file', 'search_files', 'write_file', 'edit_file', 'run_command', 'task_complete'],
    );
    assert.deepEqual(PLANNER_TOOLS.map((t) => t.name), ['submit_plan']);
    for (const tool of [...CODER_TOOLS, ...PLANNER_TOOLS]) {
      assert.ok(tool.description.length > 20, tool.name);
      assert.equal(tool.input_schema.type, 'object');
      assert.equal(tool.input_schema.additionalProperties, false, tool.name);
    }
  });
});
