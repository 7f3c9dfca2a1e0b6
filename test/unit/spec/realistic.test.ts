import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadSpec } from '../../../src/core/spec';

const fixture = (name: string) => join(__dirname, 'fixtures', name);

describe('spec: realistic specs', () => {
  it('todo CLI: settings, five requirements, acceptance criteria and ranges', async () => {
    const spec = await loadSpec(fixture('todo-cli.md'));
    assert.equal(spec.title, 'Todo CLI');
    assert.deepEqual(spec.settings, {
      test_command: 'npm test',
      typecheck_command: 'npx tsc --noEmit',
      max_iterations: 6,
      max_cost_usd: 3.5,
      allow_commands: ['npm test', 'npx tsc --noEmit'],
    });
    assert.deepEqual(spec.warnings, []);
    assert.deepEqual(
      spec.requirements.map((r) => [r.id, r.title, r.range.startLine, r.range.endLine, r.acceptance.length]),
      [
        ['R1', 'Add a task', 14, 21, 2],
        ['R2', 'List tasks', 23, 36, 2],
        ['R3', 'Complete a task', 38, 43, 2],
        ['R4', 'Persist tasks', 45, 50, 1],
        ['R5', 'Help', 52, 54, 0],
      ],
    );
    const [r1, r2, , r4] = spec.requirements;
    assert.equal(r1!.text, '`todo add <text>` appends a task and prints its number.');
    assert.deepEqual(r1!.acceptance, ['`todo add "buy milk"` prints `Added 1: buy milk`', 'Empty text is rejected with exit code 2']);
    assert.match(r2!.text, /- R9: this line is sample output/, 'the code block stays in the text');
    assert.deepEqual(r4!.acceptance, ['killing the process during a write leaves the old file intact.']);
  });

  it('ranges point at the requirement lines of the file', async () => {
    const spec = await loadSpec(fixture('todo-cli.md'));
    const fileLines = (await readFile(fixture('todo-cli.md'), 'utf8')).split('\n');
    for (const r of spec.requirements) {
      assert.ok(fileLines[r.range.startLine - 1]!.startsWith(`## ${r.id}:`), `${r.id} starts at its heading`);
      assert.notEqual(fileLines[r.range.endLine - 1]!.trim(), '', `${r.id} ends on content`);
    }
  });

  it('Kiro style: "Requirement <n>" headings with user stories and acceptance criteria', async () => {
    const spec = await loadSpec(fixture('kiro-style.md'));
    assert.deepEqual(
      spec.requirements.map((r) => [r.id, r.title, r.range]),
      [
        ['REQ-1', 'As a reader, I want to save a URL with tags, so that I can find it later.', { startLine: 9, endLine: 16 }],
        ['REQ-2', 'Search', { startLine: 18, endLine: 24 }],
      ],
    );
    assert.deepEqual(spec.requirements[0]!.acceptance, [
      'WHEN the user runs `bm add <url>` THEN the system SHALL store the URL',
      'IF the URL is already stored THEN the system SHALL report a duplicate',
    ]);
  });

  it('spec-kit style: user stories with acceptance scenarios and FR- items', async () => {
    const spec = await loadSpec(fixture('speckit-style.md'));
    assert.deepEqual(
      spec.requirements.map((r) => r.id),
      ['US-1', 'FR-001', 'FR-002', 'FR-003'],
    );
    const [story, , fr2] = spec.requirements;
    assert.equal(story!.title, 'Create an album');
    assert.equal(story!.priority, 'P1');
    assert.deepEqual(story!.range, { startLine: 5, endLine: 14 }, 'the closing --- is not part of the story');
    assert.equal(story!.acceptance.length, 2);
    assert.match(story!.acceptance[0]!, /^Given no albums, When the user creates "Trip", Then "Trip" is listed$/);
    assert.deepEqual(fr2!.acceptance, ['Names compare case-insensitively']);
    assert.deepEqual(fr2!.range, { startLine: 27, endLine: 28 });
  });
});
