// Bundled alone as dist/spec-client.js and loaded on first use (when a spec opens), so that
// vscode-languageclient costs nothing at activation.
import * as vscode from 'vscode';
import { CloseAction, ErrorAction, LanguageClient, RevealOutputChannelOn, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

/** The notification the server re-reads verdicts on (src/server/specServer.ts). */
const STATE_CHANGED = 'munero/stateChanged';
const MAX_RESTARTS = 4;

export interface SpecClient extends vscode.Disposable {
  /** Tells the server a build's verdicts changed (a build ended, a rollback). */
  stateChanged(): void;
  readonly ready: Promise<void>;
}

/**
 * Starts the spec language server in its own Node process (the editor's runtime, over IPC) and
 * connects the spec documents to it. A crash is explained in the log and restarted a few times.
 */
export function startSpecClient(serverModule: string, selector: vscode.DocumentSelector, log: vscode.LogOutputChannel): SpecClient {
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  let restarts = 0;
  const clientOptions: LanguageClientOptions = {
    documentSelector: selector as LanguageClientOptions['documentSelector'],
    diagnosticCollectionName: 'munero-spec',
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    outputChannel: log,
    errorHandler: {
      error: (error, _message, count) => {
        log.error(`Munero spec server: ${error.message} (${count ?? 0} errors in a row)`);
        return { action: (count ?? 0) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown };
      },
      closed: () => {
        restarts++;
        if (restarts > MAX_RESTARTS) {
          log.error(`Munero spec server stopped ${restarts} times; it is not restarted. Reload the window to try again, and see the log above for why it stopped.`);
          return { action: CloseAction.DoNotRestart };
        }
        log.warn(`Munero spec server stopped; restarting (${restarts}/${MAX_RESTARTS}).`);
        return { action: CloseAction.Restart };
      },
    },
  };
  const client = new LanguageClient('munero.spec', 'Munero Spec', serverOptions, clientOptions);
  const ready = client.start().catch((err: unknown) => {
    log.error(`Munero spec server could not start: ${err instanceof Error ? err.message : String(err)}`);
  });
  return {
    ready,
    stateChanged: () => {
      void ready.then(() => (client.isRunning() ? client.sendNotification(STATE_CHANGED, {}) : undefined));
    },
    dispose: () => void client.stop().catch(() => undefined),
  };
}
