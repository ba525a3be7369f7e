/**
 * `lambda-vpc-lint`: the command line. Dispatches to one module per subcommand; each returns the exit
 * code. An unexpected failure exits 2 with a one-line message, never a stack trace.
 */
import { runCheck } from './check';
import { runExplain } from './explain';
import type * as AwsCommands from './aws-commands';
import type { Io } from './io';
import { processIo } from './io';
import { TOOL_VERSION as VERSION } from '../product';


const USAGE = `Usage: lambda-vpc-lint <command> [options]

Commands:
  check [options] <file|dir|glob>...   analyse templates and report findings
  explain [options] <file|dir|glob>... print the network path resolved for each function
  enis [options]                       list the Lambda network interfaces of an account

Options:
  -v, --version                        print the version
  -h, --help                           show this help

Run 'lambda-vpc-lint <command> --help' for a command's options.`;

/**
 * The commands that talk to AWS, loaded on first use: in the bundle they are a separate file
 * (dist/aws-commands.js), so `check` and `explain` never load the AWS SDK.
 */
function loadAwsCommands(): typeof AwsCommands {
  return require('./aws-commands') as typeof AwsCommands;
}

export async function main(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'check':
        return await runCheck(rest, io);
      case 'explain':
        return await runExplain(rest, io);
      case 'enis':
        return await loadAwsCommands().runEnis(rest, io);
      case '--version':
      case '-v':
        io.stdout(`${VERSION}\n`);
        return 0;
      case '--help':
      case '-h':
        io.stdout(`${USAGE}\n`);
        return 0;
      case undefined:
        io.stderr('lambda-vpc-lint: no command given\nsee lambda-vpc-lint --help\n');
        return 2;
      default:
        io.stderr(`lambda-vpc-lint: unknown ${command.startsWith('-') ? 'option' : 'command'} '${command}'\nsee lambda-vpc-lint --help\n`);
        return 2;
    }
  } catch (err) {
    io.stderr(`lambda-vpc-lint: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
}

if (require.main === module) {
  main(process.argv.slice(2), processIo()).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`lambda-vpc-lint: internal error: ${String(err)}\n`);
      process.exitCode = 2;
    },
  );
}
