import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspTestClient, type LspMessage } from './lspClient';

const SPEC = `# Shop

## R1: Checkout
The checkout page loads fast and is user-friendly.

- WHEN the cart is empty THEN checkout SHALL be disabled

## R2: Receipts
Receipts are emailed, printed, etc.

## R2: Refunds
Refunds go back to the card.

FR-9 is mentioned here in passing.
`;

describe('munero lsp --stdio', function () {
  this.timeout(120_000);
  let dir: string;
  let client: LspTestClient;
  let uri: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'munero-lsp-'));
    writeFileSync(join(dir, 'SPEC.md'), SPEC);
    uri = pathToFileURL(join(dir, 'SPEC.md')).href;
    client = new LspTestClient();
    const init = await client.request('initialize', { processId: process.pid, rootUri: pathToFileURL(dir).href, capabilities: {} }, 60_000);
    assert.equal(init.serverInfo.name, 'munero-spec');
    assert.ok(init.capabilities.documentSymbolProvider && init.capabilities.hoverProvider && init.capabilities.codeLensProvider);
    client.notify('initialized', {});
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: 1, text: SPEC } });
  });

  after(async () => {
    const code = await client.stop();
    assert.equal(code, 0, 'exits cleanly after shutdown + exit');
    assert.equal(client.stray, '', 'stdout carried only framed LSP messages');
  });

  it('publishes diagnostics for duplicate ids, missing criteria, vague wording and ids not taken', async () => {
    const published = await client.waitFor((m: LspMessage) => m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri);
    const diags = published.params.diagnostics as { code: string; message: string; range: { start: { line: number; character: number } }; severity: number }[];
    const byCode = (code: string) => diags.filter((d) => d.code === code);
    assert.equal(byCode('duplicate_id').length, 1);
    assert.equal(byCode('duplicate_id')[0]!.range.start.line, 10);
    assert.equal(byCode('duplicate_id')[0]!.severity, 1);
    assert.deepEqual(byCode('no_criteria').map((d) => d.range.start.line), [7, 10]);
    assert.deepEqual(byCode('vague').map((d) => [d.range.start.line, d.message.split('"')[1]]), [[3, 'fast'], [3, 'user-friendly'], [8, 'etc.']]);
    assert.equal(byCode('vague')[0]!.range.start.character, 'The checkout page loads '.length);
    assert.equal(byCode('id_not_taken').length, 1);
  });

  it('re-checks as you type', async () => {
    const fixed = SPEC.replace('## R2: Refunds', '## R3: Refunds');
    client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: fixed }] });
    const next = await client.waitFor((m) => m.method === 'textDocument/publishDiagnostics' && m.params.version === 2);
    assert.equal(next.params.diagnostics.filter((d: { code: string }) => d.code === 'duplicate_id').length, 0);
  });

  it('outlines requirements and criteria, and lenses Build over the spec and each requirement', async () => {
    const symbols = await client.request('textDocument/documentSymbol', { textDocument: { uri } });
    assert.deepEqual(symbols.map((s: { name: string }) => s.name), ['R1 Checkout', 'R2 Receipts', 'R3 Refunds']);
    assert.deepEqual(symbols[0].children.map((c: { name: string }) => c.name), ['R1.1']);
    const lenses = await client.request('textDocument/codeLens', { textDocument: { uri } });
    assert.deepEqual(lenses.map((l: { command: { title: string; arguments: unknown[] } }) => [l.command.title, l.command.arguments[1] ?? null]), [
      ['Build', null],
      ['Build this requirement', 'R1'],
      ['Build this requirement', 'R2'],
      ['Build this requirement', 'R3'],
    ]);
  });

  it('hovers a requirement with its last verdict from .munero, the tests that verified it, when and its cost', async () => {
    const before = await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 4 } });
    assert.match(before.contents.value, /\*\*R1\*\* Checkout .*1 acceptance criterion\n\nNot built yet\./);
    writeBuildState(dir);
    client.notify('munero/stateChanged', {});
    const hover = await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 3, character: 0 } });
    assert.match(hover.contents.value, /✅ \*\*verified\*\* in build `b-1` \(verified\), 2026-01-02 03:04:05 UTC/);
    assert.match(hover.contents.value, /- `R1: checkout is disabled for an empty cart`/);
    assert.match(hover.contents.value, /Cost: \$0\.0420/);
    const untraced = await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 7, character: 0 } });
    assert.match(untraced.contents.value, /\*\*passed, untraced\*\*/);
    const diags = await client.waitFor((m) => m.method === 'textDocument/publishDiagnostics' && m.params.diagnostics.some((d: { code: string }) => d.code === 'requirement'));
    const verdicts = diags.params.diagnostics.filter((d: { code: string }) => d.code === 'requirement');
    assert.deepEqual(verdicts.map((d: { message: string; severity: number; source: string }) => [d.message, d.severity, d.source]), [
      ['R1 is verified by node --test (R1: checkout is disabled for an empty cart)', 4, 'munero'],
      ['R2 is passed, untraced: no passing test names R2', 3, 'munero'],
    ]);
  });
});

function writeBuildState(dir: string): void {
  const builds = join(dir, '.munero', 'builds', 'b-1');
  mkdirSync(builds, { recursive: true });
  writeFileSync(join(dir, '.munero', 'current.json'), JSON.stringify({ buildId: 'b-1' }));
  const requirement = (id: string, startLine: number, endLine: number, extra: object) => ({ id, title: id, range: { startLine, endLine }, ...extra });
  writeFileSync(
    join(builds, 'build.json'),
    JSON.stringify({
      id: 'b-1',
      specPath: 'SPEC.md',
      status: 'verified',
      updatedAt: '2026-01-02T03:04:05.678Z',
      requirements: [
        requirement('R1', 3, 6, { verdict: 'verified', verifiedBy: 'node --test (R1: checkout is disabled for an empty cart)', tests: ['R1: checkout is disabled for an empty cart'] }),
        requirement('R2', 8, 9, { verdict: 'passed-untraced', reason: 'no passing test names R2' }),
      ],
      plan: { version: 1, tasks: [{ id: 'T1', requirements: ['R1'] }, { id: 'T2', requirements: ['R2'] }] },
      tasks: { T1: { usage: { costUsd: 0.042 } }, T2: { usage: { costUsd: 0.01 } } },
    }),
  );
}
