// Entry point of the bundled language server: `container-guard-server --stdio` (any LSP client),
// `--node-ipc` (VS Code), or `--socket=<port>`; vscode-languageserver reads the transport from argv.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

if (process.argv.includes('--version')) {
  process.stdout.write('container-guard-server 0.1.0\n');
  process.exit(0);
}
// Queued requests cancelled before they run are answered at once instead of computed for nothing.
const connection = createConnection(ProposedFeatures.all, { cancelUndispatched: () => undefined });
startServer(connection);
