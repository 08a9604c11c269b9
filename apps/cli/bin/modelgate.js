#!/usr/bin/env node
// The `modelgate` command (package.json "bin"). In a checkout it runs the TypeScript source, as
// `npm run start:dev` does, so it never runs a stale build; in the Docker image (no sources, no ts-node)
// it runs what `npm run build` compiled into dist/.
const { existsSync } = require('fs');
const { join } = require('path');

const root = join(__dirname, '..', '..', '..');
const source = join(root, 'apps', 'cli', 'src', 'main.ts');
const built = join(root, 'dist', 'apps', 'cli', 'src', 'main.js');

function resolvable(id) {
  try {
    return require.resolve(id, { paths: [root] });
  } catch {
    return undefined;
  }
}

const tsNode = existsSync(source) && resolvable('ts-node/register/transpile-only');
const tsPaths = tsNode && resolvable('tsconfig-paths/register');
if (tsNode && tsPaths) {
  // tsconfig-paths reads tsconfig.json from the working directory unless told where it is.
  process.env.TS_NODE_PROJECT = process.env.TS_NODE_PROJECT || join(root, 'tsconfig.json');
  // Model session workers start with `--require ts-node/register/transpile-only`, which Node resolves
  // from the working directory: let it find the checkout's node_modules from anywhere.
  const modules = join(root, 'node_modules');
  process.env.NODE_PATH = process.env.NODE_PATH ? `${modules}${require('path').delimiter}${process.env.NODE_PATH}` : modules;
  require(tsNode);
  require(tsPaths);
  require(source);
} else if (existsSync(built)) {
  require(built);
} else {
  process.stderr.write(`modelgate: neither ${source} with ts-node nor ${built} is here: run \`npm run build\` first\n`);
  process.exit(2);
}
