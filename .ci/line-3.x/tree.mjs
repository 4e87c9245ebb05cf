// Builds the 3.x-line checkout for the Node 24 test run: the project's tracked files as they are in the working
// tree, copied to a directory OUTSIDE the checkout (Node resolves packages up the directory tree, so a copy inside
// it would quietly load the 2.x packages of the checkout's own node_modules), with package.json's devDependencies
// swapped for the 3.x line's exact pins
// (dev-dependencies.json) and the lockfile kept beside this script, so that `npm ci` there is reproducible.
//   node .ci/line-3.x/tree.mjs        build the tree (then: npm ci && npm test in it, with Node 24); prints its path
// The tree is $TOMOGRAPH_3X_TREE, else <tmpdir>/tomograph-3.x-<checkout folder name>.
//   node .ci/line-3.x/tree.mjs --lock also write a fresh package-lock.json back here (after changing package.json)
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const tree = resolve(process.env.TOMOGRAPH_3X_TREE || join(tmpdir(), `tomograph-3.x-${basename(root)}`));
if (!relativeOutside(root, tree)) throw new Error(`the 3.x tree must lie outside the checkout: ${tree}`);

function relativeOutside(parent, child) {
  return !(child + '/').startsWith(parent + '/');
}

// Keep node_modules between local runs (npm ci replaces it anyway); everything else is copied afresh.
if (existsSync(tree)) {
  for (const entry of execFileSync('ls', ['-A', tree], { encoding: 'utf8' }).split('\n').filter(Boolean)) {
    if (entry !== 'node_modules') rmSync(join(tree, entry), { recursive: true, force: true });
  }
}
mkdirSync(tree, { recursive: true });
const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
  cwd: root,
  encoding: 'utf8',
})
  .split('\0')
  .filter((file) => file !== '' && existsSync(join(root, file)));
for (const file of files) {
  mkdirSync(dirname(join(tree, file)), { recursive: true });
  cpSync(join(root, file), join(tree, file));
}

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const swaps = JSON.parse(readFileSync(join(here, 'dev-dependencies.json'), 'utf8'));
for (const [name, version] of Object.entries(swaps)) {
  if (name === '//') continue;
  if (version === null) delete pkg.devDependencies[name];
  else pkg.devDependencies[name] = version;
}
pkg.devDependencies = Object.fromEntries(Object.entries(pkg.devDependencies).sort(([a], [b]) => (a < b ? -1 : 1)));
writeFileSync(join(tree, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
// The SDK 1.30 aliases the tests keep (SDK 1.x spans reaching the exporters) peer API < 1.10; in this dev tree only,
// peers are not checked. What users install is checked separately, cleanly, by test/install (.ci/run).
writeFileSync(join(tree, '.npmrc'), 'legacy-peer-deps=true\n');
// Type-check everything but the 2.x-only example, whose sdk-trace-base is not installed on this line.
const tsconfig = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8'));
tsconfig.exclude = [...tsconfig.exclude, 'examples/existing-otel-setup.ts'];
writeFileSync(join(tree, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`);
// Both files above are written for this tree, not by Prettier: the tree's format check leaves them out.
const prettierIgnore = join(tree, '.prettierignore');
writeFileSync(
  prettierIgnore,
  `${readFileSync(prettierIgnore, 'utf8')}# Written by .ci/line-3.x/tree.mjs for this tree.\npackage.json\ntsconfig.json\n`,
);

const lock = join(here, 'package-lock.json');
if (process.argv.includes('--lock')) {
  execFileSync('npm', ['install', '--package-lock-only', '--no-audit', '--no-fund'], { cwd: tree, stdio: 'inherit' });
  cpSync(join(tree, 'package-lock.json'), lock);
} else {
  cpSync(lock, join(tree, 'package-lock.json'));
}
console.error(`3.x tree: ${files.length} files`);
console.log(tree);
