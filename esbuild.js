// Bundles each entry point into one file under dist/: the CLI, the VS Code extension, the
// progress panel's browser bundle, and the extension-host test suite.
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const node = { platform: 'node', target: 'node20', format: 'cjs' };

/** @type {import('esbuild').BuildOptions[]} */
const entries = [
  // The munero command: a small entry that answers a plain `status` from a small bundle and
  // loads the full CLI for everything else (src/cli/entry.ts says why).
  { ...node, entryPoints: ['src/cli/entry.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  { ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli-main.js' },
  { ...node, entryPoints: ['src/cli/quickStatus.ts'], outfile: 'dist/cli-status.js' },
  // The extension's small entry, and the workbench it loads on first use (activation.ts).
  { ...node, entryPoints: ['src/extension/activation.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { ...node, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/workbench.js', external: ['vscode'] },
  // The spec language server, in its own process (started by the extension over node IPC).
  { ...node, entryPoints: ['src/server/main.ts'], outfile: 'dist/spec-server.js' },
  // Its client, loaded by the extension only when a spec opens.
  { ...node, entryPoints: ['src/extension/specClient/client.ts'], outfile: 'dist/spec-client.js', external: ['vscode'] },
  // The sandbox helper process. sandbox-runtime is an ES module that finds its seccomp binary
  // next to import.meta.url, which a CommonJS bundle lacks: point it at this file, and copy the
  // binaries to dist/vendor/seccomp/ where the library looks for a bundled copy.
  {
    ...node,
    entryPoints: ['src/core/tools/sandbox/helperMain.ts'],
    outfile: 'dist/sandbox-helper.js',
    define: { 'import.meta.url': '__moduleUrl' },
    banner: { js: 'const __moduleUrl = require("node:url").pathToFileURL(__filename).href;' },
  },
  // The bundled MCP servers: the reference memory and sequential-thinking servers from npm, run as
  // children with the editor's own runtime (no npx, no download). ES modules, so they keep
  // import.meta.url; require() is given for the CommonJS parts of their dependencies. Split, so
  // the SDK and zod they share ship once (a chunk next to them), which keeps the .vsix small.
  {
    platform: 'node',
    target: 'node20',
    format: 'esm',
    splitting: true,
    entryPoints: Object.fromEntries(['memory', 'sequential-thinking'].map((name) => [name, require.resolve(`@modelcontextprotocol/server-${name}/dist/index.js`)])),
    outdir: 'dist/mcp',
    outExtension: { '.js': '.mjs' },
    // One fixed name: a hashed chunk left by an earlier (unminified) build would ship too.
    chunkNames: 'shared',
    banner: { js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);' },
    plugins: [packageVersionInline('@modelcontextprotocol/server-sequential-thinking')],
  },
  { platform: 'browser', target: 'es2022', format: 'iife', entryPoints: ['webview-ui/src/main.ts'], outfile: 'dist/webview/main.js' },
  { ...node, entryPoints: ['test/vscode/suite/index.ts'], outfile: 'dist/test/vscode/suite/index.js', external: ['vscode', 'mocha'] },
];

/** A reference server's version.js reads its package.json at run time, which the bundle lacks: give the version inline. */
function packageVersionInline(pkg) {
  const { version } = require(`${pkg}/package.json`);
  return {
    name: 'package-version-inline',
    setup(build) {
      build.onLoad({ filter: /[\\/]version\.js$/ }, (args) =>
        args.path.includes(pkg) ? { contents: `export const SERVER_VERSION = ${JSON.stringify(version)}; export function resolvePackageVersion() { return SERVER_VERSION; }` } : undefined,
      );
    },
  };
}

function copySeccompBinaries() {
  const from = path.join(path.dirname(require.resolve('@anthropic-ai/sandbox-runtime/package.json')), 'vendor', 'seccomp');
  for (const arch of fs.readdirSync(from)) {
    const binary = path.join(from, arch, 'apply-seccomp');
    if (!fs.existsSync(binary)) continue;
    const target = path.join('dist', 'vendor', 'seccomp', arch, 'apply-seccomp');
    fs.mkdirSync(path.dirname(target), { recursive: true });
    // Copied beside and renamed over: a running sandbox (another build or test) may be executing
    // the old copy, and writing into a running binary fails with ETXTBSY.
    const temp = `${target}.${process.pid}.tmp`;
    fs.copyFileSync(binary, temp);
    fs.chmodSync(temp, 0o755);
    fs.renameSync(temp, target);
  }
}

async function main() {
  const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning' };
  const contexts = await Promise.all(entries.map((e) => esbuild.context({ ...common, ...e })));
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  await Promise.all(contexts.map((c) => c.rebuild()));
  copySeccompBinaries();
  await Promise.all(contexts.map((c) => c.dispose()));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
