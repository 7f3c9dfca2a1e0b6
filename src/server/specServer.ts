import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TextDocumentSyncKind, TextDocuments, type Connection } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { codeLensesOf } from './codeLens';
import { hoverAt } from './hover';
import { definitionAt, idCompletions, requirementAt } from './idNavigation';
import { testsNaming } from './testReferences';
import { lastVerdicts } from './lastVerdicts';
import { outlineOf } from './outline';
import { analyse, type Analysis } from './specAnalysis';
import { diagnosticsOf } from './specDiagnostics';

/** Sent by the extension when a build's state changed (a verdict, a rollback): verdicts are re-read. */
export const STATE_CHANGED = 'munero/stateChanged';
const DEBOUNCE_MS = 150;

/**
 * The spec language server: diagnostics as you type (pushed), the outline, hover with the last
 * verdict and Build lenses, over one connection (IPC from the extension, stdio from other editors).
 * Logs go through the connection's console, never to stdout.
 */
export function startSpecServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const cache = new Map<string, { version: number; analysis: Promise<Analysis> }>();
  const timers = new Map<string, NodeJS.Timeout>();

  const analysisOf = (doc: TextDocument): Promise<Analysis> => {
    const hit = cache.get(doc.uri);
    if (hit?.version === doc.version) return hit.analysis;
    const analysis = analyse(doc.getText(), pathOf(doc.uri));
    cache.set(doc.uri, { version: doc.version, analysis });
    return analysis;
  };

  const publish = async (doc: TextDocument) => {
    try {
      const path = pathOf(doc.uri);
      const diagnostics = diagnosticsOf(await analysisOf(doc), linesOf(doc), lastVerdicts(path));
      await connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
    } catch (err) {
      connection.console.error(`munero spec server: could not check ${doc.uri}: ${err instanceof Error ? err.stack : String(err)}`);
    }
  };
  const schedule = (doc: TextDocument, delay = DEBOUNCE_MS) => {
    clearTimeout(timers.get(doc.uri));
    timers.set(doc.uri, setTimeout(() => {
      timers.delete(doc.uri);
      const current = documents.get(doc.uri);
      if (current) void publish(current);
    }, delay));
  };

  let workspaceRoot: string | undefined;
  connection.onInitialize((params) => {
    const root = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? undefined;
    workspaceRoot = root ? pathOf(root) : undefined;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        documentSymbolProvider: true,
        hoverProvider: true,
        codeLensProvider: { resolveProvider: false },
        definitionProvider: true,
        referencesProvider: true,
        completionProvider: { resolveProvider: false },
      },
      serverInfo: { name: 'munero-spec' },
    };
  });

  documents.onDidOpen((e) => schedule(e.document, 0));
  documents.onDidChangeContent((e) => schedule(e.document));
  documents.onDidSave((e) => schedule(e.document, 0));
  documents.onDidClose((e) => {
    clearTimeout(timers.get(e.document.uri));
    cache.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });
  connection.onNotification(STATE_CHANGED, () => {
    for (const doc of documents.all()) schedule(doc, 0);
    void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
  });

  connection.onDocumentSymbol(async ({ textDocument }) => {
    const doc = documents.get(textDocument.uri);
    return doc ? outlineOf(await analysisOf(doc), linesOf(doc)) : [];
  });
  connection.onHover(async ({ textDocument, position }) => {
    const doc = documents.get(textDocument.uri);
    return doc ? hoverAt(await analysisOf(doc), position.line, lastVerdicts(pathOf(doc.uri))) : undefined;
  });
  connection.onCodeLens(async ({ textDocument }) => {
    const doc = documents.get(textDocument.uri);
    return doc ? codeLensesOf(await analysisOf(doc), doc.uri) : [];
  });

  connection.onDefinition(async ({ textDocument, position }) => {
    const doc = documents.get(textDocument.uri);
    return doc ? definitionAt(await analysisOf(doc), linesOf(doc)[position.line] ?? '', position.character) : undefined;
  });
  connection.onReferences(async ({ textDocument, position }) => {
    const doc = documents.get(textDocument.uri);
    if (!doc) return [];
    const id = requirementAt(await analysisOf(doc), linesOf(doc)[position.line] ?? '', position);
    return id ? testsNaming(id, workspaceRoot ?? dirname(pathOf(doc.uri))) : [];
  });
  connection.onCompletion(async ({ textDocument }) => {
    const doc = documents.get(textDocument.uri);
    return doc ? idCompletions(await analysisOf(doc)) : [];
  });

  documents.listen(connection);
  connection.listen();
}

function pathOf(uri: string): string {
  return uri.startsWith('file:') ? fileURLToPath(uri) : uri;
}

function linesOf(doc: TextDocument): string[] {
  return doc.getText().split(/\r?\n/);
}
