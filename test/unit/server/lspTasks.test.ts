import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspTestClient } from './lspClient';

const REQUIREMENTS = `# Feature\n\n## R1: Import\nImports a file.\n\n- WHEN the file is empty THEN nothing is imported\n\n## R2: Export\nExports a file.\n`;
const TASKS = `# Tasks\n\n- [ ] 1. Read files\n  - _Requirements: R1, R9_\n- [ ] 2. Write files\n  - _Requirements: R2_\n`;

describe('munero lsp --stdio on a spec folder\'s tasks.md', function () {
  this.timeout(120_000);

  it('flags a reference to no requirement, goes to the spec line of an id, and completes ids', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'munero-lsp-tasks-')), 'feature');
    mkdirSync(dir);
    writeFileSync(join(dir, 'requirements.md'), REQUIREMENTS);
    writeFileSync(join(dir, 'tasks.md'), TASKS);
    const uri = pathToFileURL(join(dir, 'tasks.md')).href;
    const client = new LspTestClient();
    try {
      await client.request('initialize', { processId: process.pid, rootUri: pathToFileURL(dir).href, capabilities: {} }, 60_000);
      client.notify('initialized', {});
      client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: 1, text: TASKS } });
      const published = await client.waitFor((m) => m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri);
      assert.deepEqual(published.params.diagnostics.map((d: { code: string; range: { start: { line: number } } }) => [d.code, d.range.start.line]), [['unknown_reference', 2]]);
      assert.match(published.params.diagnostics[0].message, /task T1 names "R9"/);

      const definition = await client.request('textDocument/definition', { textDocument: { uri }, position: { line: 5, character: 20 } });
      assert.equal(definition.uri, pathToFileURL(join(dir, 'requirements.md')).href);
      assert.equal(definition.range.start.line, 7, 'the line of "## R2: Export"');

      const completions = await client.request('textDocument/completion', { textDocument: { uri }, position: { line: 3, character: 20 } });
      assert.deepEqual(completions.map((c: { label: string; detail: string }) => [c.label, c.detail]), [['R1', 'Import'], ['R2', 'Export']]);
    } finally {
      assert.equal(await client.stop(), 0);
      assert.equal(client.stray, '');
    }
  });

  it('finds the tests that name a requirement (find references from its heading)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'munero-lsp-refs-'));
    mkdirSync(join(root, 'test'));
    writeFileSync(join(root, 'SPEC.md'), REQUIREMENTS);
    writeFileSync(join(root, 'test', 'import.test.js'), "test('R1: imports nothing from an empty file', () => {});\ntest('R10: not this one', () => {});\n// R1\n");
    writeFileSync(join(root, 'notes.md'), 'R1 is mentioned here, but this is no test file.\n');
    const uri = pathToFileURL(join(root, 'SPEC.md')).href;
    const client = new LspTestClient();
    try {
      await client.request('initialize', { processId: process.pid, rootUri: pathToFileURL(root).href, capabilities: {} }, 60_000);
      client.notify('initialized', {});
      client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: 1, text: REQUIREMENTS } });
      const refs = await client.request('textDocument/references', { textDocument: { uri }, position: { line: 3, character: 2 }, context: { includeDeclaration: false } });
      assert.deepEqual(refs.map((r: { uri: string; range: { start: { line: number; character: number } } }) => [r.uri.split('/').pop(), r.range.start.line, r.range.start.character]), [
        ['import.test.js', 0, 6],
        ['import.test.js', 2, 3],
      ]);
    } finally {
      assert.equal(await client.stop(), 0);
    }
  });
});
