// Bundles each entry point into one file under dist/: the CLI, the VS Code extension, the
// progress panel's browser bundle, and the extension-host test suite.
const esbuild = require('esbuild');

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const node = { platform: 'node', target: 'node20', format: 'cjs' };

/** @type {import('esbuild').BuildOptions[]} */
const entries = [
  { ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  { ...node, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { platform: 'browser', target: 'es2022', format: 'iife', entryPoints: ['webview-ui/src/main.ts'], outfile: 'dist/webview/main.js' },
  { ...node, entryPoints: ['test/vscode/suite/index.ts'], outfile: 'dist/test/vscode/suite/index.js', external: ['vscode', 'mocha'] },
];

async function main() {
  const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning' };
  const contexts = await Promise.all(entries.map((e) => esbuild.context({ ...common, ...e })));
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
