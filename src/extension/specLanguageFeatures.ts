import path from 'node:path';
import * as vscode from 'vscode';
import { specGlobs } from './settings';
import { isSpec } from './specPicker';
import type { SpecClient } from './specClient/client';

/**
 * Starts the spec language server the first time a spec (or a spec folder's tasks.md) is open,
 * the way vscode-eslint activates for real only on a matching document. Until then nothing of
 * the language client is loaded.
 */
export class SpecLanguageFeatures implements vscode.Disposable {
  private client: SpecClient | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly extensionPath: string, private readonly log: vscode.LogOutputChannel) {
    this.disposables.push(vscode.workspace.onDidOpenTextDocument((doc) => this.consider(doc)));
    for (const doc of vscode.workspace.textDocuments) this.consider(doc);
  }

  get started(): boolean {
    return this.client !== undefined;
  }

  /** Resolves once the server answered `initialize` (starting it if no spec opened yet). */
  async whenReady(): Promise<void> {
    await this.start().ready;
  }

  /** A build's verdicts changed: the server re-reads them from `.munero/`. */
  stateChanged(): void {
    this.client?.stateChanged();
  }

  dispose(): void {
    this.client?.dispose();
    for (const d of this.disposables) d.dispose();
  }

  private consider(doc: vscode.TextDocument): void {
    if (this.client || doc.uri.scheme !== 'file') return;
    if (isSpec(doc) || (doc.languageId === 'markdown' && path.basename(doc.uri.fsPath).toLowerCase() === 'tasks.md')) this.start();
  }

  private start(): SpecClient {
    if (this.client) return this.client;
    const started = Date.now();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { startSpecClient } = require(path.join(this.extensionPath, 'dist', 'spec-client.js')) as typeof import('./specClient/client');
    const selector = [...specGlobs(), '**/tasks.md'].map((pattern) => ({ scheme: 'file', language: 'markdown', pattern }));
    this.client = startSpecClient(path.join(this.extensionPath, 'dist', 'spec-server.js'), selector, this.log);
    void this.client.ready.then(() => this.log.info(`Munero spec server ready in ${Date.now() - started} ms`));
    return this.client;
  }
}
