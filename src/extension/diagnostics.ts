import path from 'node:path';
import * as vscode from 'vscode';
import type { BuildState, CheckSummary, SpecError } from '../core';

/**
 * The "munero" diagnostics: failing tests, type and lint errors at their file and line, and unmet
 * requirements on the spec's own lines. Each validation replaces the check diagnostics; a
 * rollback clears them all.
 */
export class MuneroDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('munero');
  private checkFiles: vscode.Uri[] = [];
  private specFile: vscode.Uri | undefined;

  constructor(private readonly workspaceRoot: string) {}

  showChecks(checks: CheckSummary[]): void {
    for (const uri of this.checkFiles) this.collection.delete(uri);
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const check of checks.filter((c) => !c.passed)) {
      for (const f of check.failures) {
        if (!f.file) continue;
        const abs = path.isAbsolute(f.file) ? f.file : path.join(this.workspaceRoot, f.file);
        if (!abs.startsWith(this.workspaceRoot + path.sep)) continue;
        const line = Math.max(0, (f.line ?? 1) - 1);
        const d = new vscode.Diagnostic(new vscode.Range(line, 0, line, Number.MAX_SAFE_INTEGER), `${f.name}: ${firstLine(f.message)}`, vscode.DiagnosticSeverity.Error);
        d.source = 'munero';
        d.code = check.name;
        byFile.set(abs, [...(byFile.get(abs) ?? []), d]);
      }
    }
    this.checkFiles = [...byFile.keys()].map((f) => vscode.Uri.file(f));
    for (const [file, diags] of byFile) this.collection.set(vscode.Uri.file(file), diags);
  }

  /** Unmet (warning) and failed (error) requirements, on the spec lines that state them. */
  showRequirements(state: BuildState): void {
    const spec = vscode.Uri.file(state.specPath);
    this.specFile = spec;
    const diags = state.requirements
      .filter((r) => r.verdict !== 'verified')
      .map((r) => {
        const d = new vscode.Diagnostic(
          new vscode.Range(r.range.startLine - 1, 0, r.range.endLine - 1, Number.MAX_SAFE_INTEGER),
          `${r.id} is ${r.verdict}${r.reason ? `: ${r.reason}` : ''}`,
          r.verdict === 'failed' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
        );
        d.source = 'munero';
        d.code = 'requirement';
        return d;
      });
    this.collection.set(spec, diags);
  }

  showSpecError(err: SpecError): void {
    const line = Math.max(0, (err.line ?? 1) - 1);
    const d = new vscode.Diagnostic(new vscode.Range(line, 0, line, Number.MAX_SAFE_INTEGER), err.message, vscode.DiagnosticSeverity.Error);
    d.source = 'munero';
    d.code = err.code;
    this.specFile = vscode.Uri.file(err.path);
    this.collection.set(this.specFile, [d]);
  }

  clear(): void {
    this.collection.clear();
    this.checkFiles = [];
    this.specFile = undefined;
  }

  dispose(): void {
    this.collection.dispose();
  }
}

function firstLine(text: string): string {
  return text.split('\n').find((l) => l.trim()) ?? text;
}
