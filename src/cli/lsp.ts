import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startSpecServer } from '../server/specServer';

const TRANSPORTS = ['--stdio', '--node-ipc'];

/**
 * `munero lsp --stdio`: the spec language server for any editor. stdout carries only framed LSP
 * messages (createConnection sends console output to the client's log in stdio mode); the
 * process ends when the client sends `exit`.
 */
export function lspCommand(args: string[]): Promise<number> {
  if (!args.some((a) => TRANSPORTS.includes(a) || a.startsWith('--socket='))) {
    process.stderr.write('munero lsp: choose a transport: `munero lsp --stdio` (what editors start), --node-ipc or --socket=PORT.\n');
    return Promise.resolve(2);
  }
  startSpecServer(createConnection(ProposedFeatures.all));
  return new Promise(() => undefined);
}
