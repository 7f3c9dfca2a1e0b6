// The spec language server in the real VS Code: started by the extension when a spec opens,
// in its own process, with diagnostics, the outline, Build lenses and hover.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { MuneroApi } from '../../../src/extension/extension';
import { eventually, hoverText, specUri } from './specHelpers';

describe('the spec language server', () => {
  it('starts when a spec opens and sends diagnostics, the outline, Build lenses and hover', async () => {
    const api = await vscode.extensions.getExtension<MuneroApi>('munero.munero')!.activate();
    const uri = specUri();
    await vscode.window.showTextDocument(uri);
    const diags = await eventually(() => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'munero spec'), (d) => d.length >= 2);
    assert.ok(api.spec.started, 'the client started for the open spec');
    assert.deepEqual(diags.map((d) => [d.code, d.range.start.line, d.severity]), [
      ['no_criteria', 9, vscode.DiagnosticSeverity.Information],
      ['no_criteria', 12, vscode.DiagnosticSeverity.Information],
    ]);

    // Requirements are classes (the built-in markdown outline adds its headings as strings).
    const symbols = (await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', uri)).filter((s) => s.kind === vscode.SymbolKind.Class);
    assert.deepEqual(symbols.map((s) => [s.name, s.range.start.line]), [['R1 Add', 9], ['R2 Multiply', 12]]);

    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    assert.deepEqual(lenses.map((l) => [l.command?.title, l.command?.command, l.range.start.line]), [
      ['Build', 'munero.buildFromSpec', 0],
      ['Build this requirement', 'munero.buildRequirement', 9],
      ['Build this requirement', 'munero.buildRequirement', 12],
    ]);
    assert.deepEqual(lenses[1]!.command!.arguments, [uri.toString(), 'R1']);

    assert.match(await hoverText(uri, 9), /\*\*R1\*\* Add · 0 acceptance criteria\n\nNot built yet\./);

    // As you type: a vague word is flagged without saving.
    const editor = vscode.window.activeTextEditor!;
    await editor.edit((e) => e.insert(new vscode.Position(10, 0), 'It must be fast.\n'));
    const vague = await eventually(() => vscode.languages.getDiagnostics(uri).filter((d) => d.code === 'vague'), (d) => d.length === 1);
    assert.equal(vague.length, 1, 'the vague word is flagged as you type');
    assert.equal(vague[0]!.range.start.line, 10);
    await vscode.commands.executeCommand('undo');
    await eventually(() => vscode.languages.getDiagnostics(uri).filter((d) => d.code === 'vague'), (d) => d.length === 0);
    await vscode.commands.executeCommand('workbench.action.files.save');
  });
});
