/**
 * The language server's entry point (dist/server.js). VS Code starts it over IPC; any other LSP client
 * runs `node dist/server.js --stdio`.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { TOOL_NAME, TOOL_VERSION } from '../product';
import { startServer } from './server';

const TRANSPORTS = ['--stdio', '--node-ipc', '--socket', '--pipe', '--clientProcessId'];
const args = process.argv.slice(2);

if (args.includes('--version')) {
  process.stdout.write(`${TOOL_VERSION}\n`);
} else if (args.includes('--help') || !args.some((a) => TRANSPORTS.some((t) => a === t || a.startsWith(`${t}=`)))) {
  process.stderr.write(`${TOOL_NAME} language server ${TOOL_VERSION}\n\nusage: node server.js --stdio | --node-ipc | --socket=<port> | --pipe=<name>\n`);
  process.exitCode = args.includes('--help') ? 0 : 2;
} else {
  const connection = createConnection(ProposedFeatures.all);
  startServer(connection);
  connection.listen();
}
