// `npm run demo`: explains and checks the bundled examples with the built command line, the way a
// user would run it. Findings are the point here, so their exit code 1 is reported, not failed on.
import { spawnSync } from 'node:child_process';

const run = (args) => {
  console.log(`\n$ lambda-vpc-lint ${args.join(' ')}\n`);
  const r = spawnSync(process.execPath, ['dist/cli.js', ...args], { stdio: 'inherit' });
  return r.status ?? 2;
};

if (run(['explain', 'examples/']) === 2) process.exit(2);
const code = run(['check', 'examples/']);
if (code === 2) process.exit(2);
console.log(`\n(check exited ${code}: ${code === 1 ? 'error findings, as these examples are meant to have' : 'no error findings'})`);
