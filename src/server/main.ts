// The spec language server's process: `node dist/spec-server.js --node-ipc` (from the extension)
// or `--stdio` (`munero lsp --stdio`). createConnection reads the transport from the arguments.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startSpecServer } from './specServer';

startSpecServer(createConnection(ProposedFeatures.all));
