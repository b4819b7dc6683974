// Entry point of the bundled language server: `container-guard-server --stdio` (any LSP client),
// `--node-ipc` (VS Code), or `--socket=<port>`; vscode-languageserver reads the transport from argv.
import { createConnection, DocumentDiagnosticRequest, LSPErrorCodes, ProposedFeatures } from 'vscode-languageserver/node';
import * as v8 from 'node:v8';
import { startServer } from './server';

// A language server lives long and lints in bursts: keep V8's young generation from growing (each lint's
// garbage dies young anyway) and keep tree-sitter's WebAssembly on the baseline compiler (optimising its
// huge lexer functions costs tens of MB). With every corpus file open: 225 → 164 MB resident, typing
// latency unchanged (npm run bench, sections 3 and 4).
v8.setFlagsFromString('--semi-space-growth-factor=1');
v8.setFlagsFromString('--liftoff-only');

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
