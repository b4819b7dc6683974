// Entry point of the bundled language server: `container-guard-server --stdio` (any LSP client),
// `--node-ipc` (VS Code), or `--socket=<port>`; vscode-languageserver reads the transport from argv.
import { createConnection, DocumentDiagnosticRequest, LSPErrorCodes, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';
import { tuneServerV8 } from './serverV8';

// Already done by the launcher (dist/server.js) before it compiled this bundle; again for a direct start.
tuneServerV8();

if (process.argv.includes('--version')) {
  process.stdout.write('container-guard-server 0.1.0\n');
  process.exit(0);
}
// Requests cancelled while still queued are answered at once instead of computed for nothing:
// a pull that was cancelled asks the client to pull again; anything else gets an empty result.
const connection = createConnection(ProposedFeatures.all, {
  cancelUndispatched: (message) => {
    if (!isRequestMessage(message)) return undefined;
    if (message.method === DocumentDiagnosticRequest.method) {
      return { jsonrpc: '2.0', id: message.id, error: { code: LSPErrorCodes.ServerCancelled, message: 'cancelled', data: { retriggerRequest: true } } };
    }
    return { jsonrpc: '2.0', id: message.id, result: null };
  },
});

function isRequestMessage(message: unknown): message is { id: number | string; method: string } {
  return typeof message === 'object' && message !== null && 'id' in message && 'method' in message;
}
startServer(connection);
