/**
 * docs/cli.md is the contract of the command line. One list here names every command's options; each
 * command's `--help` and the page must name exactly those, so an option added to the code, the help or
 * the page alone fails this test until the others follow. The JSON example on the page must hold exactly
 * the fields `check --format json` prints. Also: the top-level usage, `--version` and usage errors.
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { main } from '../../server/src/cli/main';
import { TOOL_VERSION } from '../../server/src/product';
import { buildCli, cli, cliJson, memoryIo, ROOT, tempCopy } from './support';

/**
 * Every option of every command ('' is the executable itself). `documentedOnly` are options of the
 * contract (docs/cli.md) that this build does not offer yet: the page names them, `--help` must not, and
 * once `--help` does they move to `options`.
 */
const CONTRACT: Record<string, { options: string[]; documentedOnly?: string[] }> = {
  '': { options: ['--version', '--help'] },
  check: {
    options: [
      '--format', '--fix', '--rule', '--max-warnings', '--quiet', '--region', '--param', '--stage', '--params-file', '--config-env', '--stack-name', '--workspace',
      '--live', '--profile', '--endpoint', '--help',
    ],
  },
  explain: { options: ['--format', '--region', '--param', '--stage', '--params-file', '--config-env', '--stack-name', '--workspace', '--live', '--profile', '--endpoint', '--help'] },
  enis: { options: ['--region', '--profile', '--endpoint', '--vpc', '--function', '--orphans', '--format', '--help'] },
};

/** JSON fields of the contract that this build does not print yet (paths as `fieldPaths` writes them). */
const JSON_DOCUMENTED_ONLY: string[] = [];

const PAGE = readFileSync(join(ROOT, 'docs', 'cli.md'), 'utf8');

/** The long options in the option column of a help text (`  --name value   meaning`). */
function helpOptions(help: string): string[] {
  const out = new Set<string>();
  for (const line of help.split('\n')) {
    const column = /^ {2}(-[^\s].*?)(?: {2,}|$)/.exec(line)?.[1];
    for (const m of column?.matchAll(/--[a-z][a-z-]*/g) ?? []) out.add(m[0]);
  }
  return [...out].sort();
}

/** The long options in the first column of the option tables of a section of docs/cli.md. */
function pageOptions(command: string): string[] {
  const sections = PAGE.split(/^## /m);
  const section = command === '' ? sections[0]! : sections.find((s) => s.startsWith(`lambda-vpc-lint ${command}\n`));
  assert.ok(section, `docs/cli.md has a section for ${command}`);
  const out = new Set<string>();
  for (const line of section.split('\n')) {
    const cell = /^\| (`-[^|]*(?:\\\|[^|]*)*) \|/.exec(line)?.[1];
    for (const m of cell?.matchAll(/--[a-z][a-z-]*/g) ?? []) out.add(m[0]);
  }
  return [...out].sort();
}

/** Every field path of a JSON value: `files[].findings[].ruleId`; arrays of scalars add nothing. */
function fieldPaths(value: unknown, prefix = '', out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) fieldPaths(item, `${prefix}[]`, out);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      const path = prefix ? `${prefix}.${key}` : key;
      out.add(path);
      fieldPaths(v, path, out);
    }
  }
  return out;
}

const dirs: string[] = [];
before(() => buildCli());
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('docs/cli.md, --help and the code agree', () => {
  for (const [command, { options, documentedOnly = [] }] of Object.entries(CONTRACT)) {
    const name = command || 'lambda-vpc-lint';
    it(`${name}: --help names exactly the options of the contract`, () => {
      const run = cli(command ? [command, '--help'] : ['--help']);
      assert.equal(run.code, 0);
      assert.deepEqual(helpOptions(run.stdout), [...options].sort());
      for (const option of documentedOnly) assert.ok(!run.stdout.includes(option), `${option} is in --help now: move it to options`);
    });

    it(`${name}: docs/cli.md names exactly the options of the contract`, () => {
      assert.deepEqual(pageOptions(command), [...options, ...documentedOnly].sort());
    });

    if (command) {
      it(`${name}: accepts every option it lists (none is an unknown option)`, async () => {
        for (const option of options.filter((o) => o !== '--help')) {
          const io = memoryIo(ROOT);
          await main([command, option, 'x', '--help'], io);
          assert.doesNotMatch(io.err, /unknown option/, `${command} ${option}`);
        }
        const io = memoryIo(ROOT);
        assert.equal(await main([command, '--no-such-option', '--help'], io), 2);
        assert.match(io.err, /unknown option '--no-such-option'/);
      });
    }
  }

  it('the JSON example on the page holds exactly the fields check --format json prints', () => {
    const dir = tempCopy('fix/sg-ref.yaml', 'templates/globals-inherited.yaml', 'broken/broken.yaml');
    dirs.push(dir);
    const { json } = cliJson(['check', '--fix', '--format', 'json', '.'], { cwd: dir });
    const printed = fieldPaths(json);
    // Make sure the run exercised every part of the format, so a missing field is the format's fault.
    for (const path of ['files[].findings[].related[].range', 'files[].findings[].fixes[].edits[].newText', 'files[].problems[].range', 'files[].fixed[].title']) {
      assert.ok(printed.has(path), `the sample run prints ${path}`);
    }
    const block = /### JSON output[^\n]*\n+```json\n([\s\S]*?)\n```/.exec(PAGE)?.[1];
    assert.ok(block, 'docs/cli.md has the JSON example');
    const documented = fieldPaths(JSON.parse(block));
    assert.deepEqual([...printed].filter((p) => !documented.has(p)).sort(), [], 'printed but not documented');
    assert.deepEqual([...documented].filter((p) => !printed.has(p)).sort(), [...JSON_DOCUMENTED_ONLY].sort(), 'documented but not printed');
  });

  it('every exit code is documented for check, and the help says the same', () => {
    const help = cli(['check', '--help']).stdout;
    for (const code of ['0', '1', '2']) {
      assert.match(PAGE, new RegExp(`^\\| ${code} \\|`, 'm'));
      assert.match(help, new RegExp(`^ {2}${code} {2}`, 'm'));
    }
  });
});

describe('lambda-vpc-lint itself', () => {
  it('--version and -v print the version', () => {
    for (const flag of ['--version', '-v']) {
      const run = cli([flag]);
      assert.equal(run.code, 0);
      assert.equal(run.stdout, `${TOOL_VERSION}\n`);
    }
  });

  it('no command, or an unknown one, is a one-line usage error', () => {
    assert.deepEqual(cli([]), { code: 2, stdout: '', stderr: 'lambda-vpc-lint: no command given\nsee lambda-vpc-lint --help\n' });
    assert.deepEqual(cli(['lint']), { code: 2, stdout: '', stderr: "lambda-vpc-lint: unknown command 'lint'\nsee lambda-vpc-lint --help\n" });
    assert.deepEqual(cli(['--colour']), { code: 2, stdout: '', stderr: "lambda-vpc-lint: unknown option '--colour'\nsee lambda-vpc-lint --help\n" });
  });
});
