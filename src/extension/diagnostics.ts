import path from 'node:path';
import * as vscode from 'vscode';
import type { CheckSummary, SpecError } from '../core';

/**
 * The "munero" diagnostics: failing tests, type and lint errors at their file and line, and a spec
 * a build refused. Each validation replaces the check diagnostics; a rollback clears them all.
 * Requirement verdicts on the spec come from the spec language server (src/server), their one owner.
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
