/**
 * Parameter values per document, as the language server finds them: the file named by
 * `lambdaVpcLint.parameterFile`, else a samconfig beside a SAM or CloudFormation template, read through
 * `loadParameterValues` (server/src/params) with the document's last known dialect and the chosen
 * environment. Files are read from the editor's open buffers first, then from disk. The values of a
 * document are kept until one of the files read (or looked for: a samconfig may appear) changes, which
 * each request checks cheaply (buffer version, else modification time and size), so a client without
 * file watching still gets current values; a watcher event or an edit drops them at once.
 */
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { Dialect } from '../core/types';
import type { ParameterValues } from '../params';
import { loadParameterValues } from '../params';

const MAX_PARAMETER_FILE = 1024 * 1024;

export function resolveParameterPath(setting: string, folder: string | undefined): string | undefined {
  const expanded = setting.replace(/^~(?=$|[\\/])/, process.env.HOME ?? '~');
  if (isAbsolute(expanded)) return expanded;
  return folder ? resolve(folder, expanded) : undefined;
}

export interface ParameterRequest {
  templatePath: string;
  /** The document's dialect when known (a Serverless template reads no samconfig). */
  dialect: Dialect | undefined;
  /** The resolved `lambdaVpcLint.parameterFile`, or nothing: look for a samconfig. */
  paramsFiles: string[];
  /** The samconfig environment; undefined: `default`. */
  environment: string | undefined;
  stage: string | undefined;
}

/** An open document's text and version, by absolute path. */
export type OpenFile = (path: string) => { text: string; version: number } | undefined;

interface Memo {
  input: string;
  /** Each path asked for, with what it was when read. */
  reads: [string, string][];
  values: ParameterValues;
}

export class DocumentParameters {
  private readonly memo = new Map<string, Memo>();

  constructor(private readonly openFile: OpenFile) {}

  /** The values for a document (by URI), read again only when the request or a file read changed. */
  get(uri: string, request: ParameterRequest): ParameterValues {
    const input = JSON.stringify(request);
    const memo = this.memo.get(uri);
    if (memo && memo.input === input && memo.reads.every(([path, seen]) => this.fingerprint(path) === seen)) return memo.values;
    const reads: [string, string][] = [];
    const values = loadParameterValues({
      templatePath: request.templatePath,
      ...(request.dialect ? { dialect: request.dialect } : {}),
      paramsFiles: request.paramsFiles,
      ...(request.environment ? { configEnv: request.environment } : {}),
      ...(request.stage ? { stage: request.stage } : {}),
      readFile: (path) => {
        reads.push([path, this.fingerprint(path)]);
        return this.read(path);
      },
    });
    this.memo.set(uri, { input, reads, values });
    return values;
  }

  /** Whether some document's values came from (or looked for) this file. */
  reads(path: string): boolean {
    for (const memo of this.memo.values()) if (memo.reads.some(([p]) => p === path)) return true;
    return false;
  }

  /** Drops the values read from this file; returns the documents they were for. */
  invalidate(path: string): string[] {
    const uris: string[] = [];
    for (const [uri, memo] of this.memo) {
      if (memo.reads.some(([p]) => p === path)) {
        this.memo.delete(uri);
        uris.push(uri);
      }
    }
    return uris;
  }

  /** A file's text as parameter values are read: the open buffer, else the disk (1 MB at most). */
  readText(path: string): string | undefined {
    return this.read(path);
  }

  forget(uri: string): void {
    this.memo.delete(uri);
  }

  clear(): void {
    this.memo.clear();
  }

  private fingerprint(path: string): string {
    const open = this.openFile(path);
    if (open) return `open ${open.version} ${open.text.length}`;
    const stat = statSync(path, { throwIfNoEntry: false });
    return stat ? `disk ${stat.mtimeMs} ${stat.ctimeMs} ${stat.size}` : 'missing';
  }

  private read(path: string): string | undefined {
    const open = this.openFile(path);
    if (open) return open.text;
    try {
      if (statSync(path).size > MAX_PARAMETER_FILE) return undefined;
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  }
}
