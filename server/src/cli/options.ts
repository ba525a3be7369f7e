/** Command-line option parsing shared by `check` and `explain`. */
import type { AnalyzeOptions } from '../core/analyze';
import type { SeveritySetting } from '../core/types';
import { parseStackNameArgument } from '../live/stack-name';

export class UsageError extends Error {}

/**
 * How every command reports a usage error: one line saying what is wrong, and where the options are
 * described (not the whole help, which would bury the line that matters).
 */
export function usageMessage(command: string, message: string): string {
  return `lambda-vpc-lint ${command}: ${message}\nsee lambda-vpc-lint ${command} --help\n`;
}

export interface CommonOptions {
  files: string[];
  format: string;
  help: boolean;
  fix: boolean;
  quiet: boolean;
  maxWarnings?: number;
  analyze: AnalyzeOptions;
  /** `--params-file`: parameter value files, in order (later files win). */
  paramsFiles: string[];
  /** `--config-env`: the samconfig environment. */
  configEnv?: string;
  /** `--live`, with `--profile` and `--endpoint`: look up what the template does not define. */
  live: boolean;
  profile?: string;
  endpoint?: string;
  /** `--workspace DIR`: directories read for cross-template resolution, not reported on. */
  workspaceDirs: string[];
  /** `--stack-name [FILE=]NAME`. */
  stackNames: { file?: string; name: string }[];
}

const SEVERITIES = new Set(['off', 'info', 'warning', 'error']);

export function parseOptions(argv: string[], allowed: { format: string[]; check?: boolean }): CommonOptions {
  const opts: CommonOptions = { files: [], format: allowed.format[0]!, help: false, fix: false, quiet: false, analyze: {}, paramsFiles: [], live: false, workspaceDirs: [], stackNames: [] };
  const params: Record<string, string> = {};
  const severities: Record<string, SeveritySetting> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') && !/^--(param|rule)=/.test(arg) ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      if (inline !== undefined) return inline;
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--help':
      case '-h':
        opts.help = true;
        break;
      case '--format':
      case '-f': {
        const f = value();
        if (!allowed.format.includes(f)) throw new UsageError(`--format must be one of ${allowed.format.join(', ')}`);
        opts.format = f;
        break;
      }
      case '--region':
        opts.analyze.region = value();
        break;
      case '--stage':
        opts.analyze.stage = value();
        break;
      case '--params-file':
        opts.paramsFiles.push(value());
        break;
      case '--config-env':
        opts.configEnv = value();
        break;
      case '--live':
        opts.live = true;
        break;
      case '--profile':
        opts.profile = value();
        break;
      case '--stack-name': {
        const v = value();
        const parsed = parseStackNameArgument(v);
        if ('error' in parsed) throw new UsageError(parsed.error);
        opts.stackNames.push(parsed);
        break;
      }
      case '--endpoint': {
        const url = value();
        if (!/^https?:\/\/[^/\s]+/i.test(url)) throw new UsageError(`--endpoint takes an http(s) URL, not '${url}'`);
        opts.endpoint = url;
        break;
      }
      case '--param':
      case '--param=': {
        const v = arg.startsWith('--param=') ? arg.slice(8) : value();
        const eq = v.indexOf('=');
        if (eq <= 0) throw new UsageError(`--param takes Name=Value, not '${v}'`);
        params[v.slice(0, eq)] = v.slice(eq + 1);
        break;
      }
      default:
        if (allowed.check && (flag === '--rule' || arg.startsWith('--rule='))) {
          const v = arg.startsWith('--rule=') ? arg.slice(7) : value();
          const eq = v.indexOf('=');
          const sev = v.slice(eq + 1);
          if (eq <= 0 || !SEVERITIES.has(sev)) throw new UsageError(`--rule takes id=off|info|warning|error, not '${v}'`);
          severities[v.slice(0, eq)] = sev as SeveritySetting;
        } else if (flag === '--workspace') opts.workspaceDirs.push(value());
        else if (allowed.check && flag === '--fix') opts.fix = true;
        else if (allowed.check && flag === '--quiet') opts.quiet = true;
        else if (allowed.check && flag === '--max-warnings') {
          const n = Number(value());
          if (!Number.isInteger(n) || n < 0) throw new UsageError('--max-warnings takes a whole number');
          opts.maxWarnings = n;
        } else if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option '${arg}'`);
        else opts.files.push(arg);
    }
  }
  if (Object.keys(params).length) opts.analyze.params = params;
  if (Object.keys(severities).length) opts.analyze.severities = severities;
  return opts;
}
