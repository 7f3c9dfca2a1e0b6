#!/usr/bin/env node
// Installs what the real-VS Code tests need on a machine that reaches only the npm registry and
// Debian's packages: code-server (VS Code's own server and workbench, published on npm) into
// <repo>/.cache/code-server/, and the Debian packages chromium (the headless browser that opens the
// workbench), libkrb5-dev and ripgrep (needed by code-server's own install).
// Idempotent: a second run only checks and prints what is already there.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CODE_SERVER_VERSION,
  codeServerBin,
  codeServerCacheDir,
  installedCodeServerVersion,
} from './codeServer.mjs';
import { ensureDebianPackages } from '../debianPackages.mjs';

const DEBIAN_PACKAGES = ['libkrb5-dev', 'ripgrep', 'chromium'];
// @vscode/ripgrep 1.15.11 (a dependency of code-server 4.100.3) downloads this archive from GitHub
// in its postinstall unless its cache folder already holds it.
const RIPGREP_PACKAGE_VERSION = '1.15.11';
const RIPGREP_RELEASE = 'v13.0.0-10';
const RIPGREP_TARGETS = { x64: 'x86_64-unknown-linux-musl', arm64: 'aarch64-unknown-linux-musl' };

const started = Date.now();
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
const log = (msg) => console.log(`[install-code-server] ${msg}`);

class InstallError extends Error {}

function run(cmd, args, options = {}) {
  log(`$ ${[cmd, ...args].join(' ')}`);
  const result = spawnSync(cmd, args, { stdio: 'inherit', ...options });
  if (result.error) throw new InstallError(`could not run ${cmd}: ${result.error.message}`);
  if (result.status !== 0) {
    throw new InstallError(`${cmd} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
  }
}

function ensureCodeServerPackages() {
  const t = Date.now();
  const problem = ensureDebianPackages(DEBIAN_PACKAGES, log);
  if (problem) throw new InstallError(problem);
  log(`Debian packages present: ${DEBIAN_PACKAGES.join(', ')} (${seconds(t)})`);
}

/** Puts a tarball holding Debian's rg where @vscode/ripgrep looks before downloading. */
function seedRipgrepCache() {
  const target = RIPGREP_TARGETS[process.arch];
  if (!target) {
    log(`warning: no known ripgrep archive name for ${process.arch}; @vscode/ripgrep will try to download`);
    return;
  }
  const cacheDir = path.join(os.tmpdir(), `vscode-ripgrep-cache-${RIPGREP_PACKAGE_VERSION}`);
  const archive = path.join(cacheDir, `ripgrep-${RIPGREP_RELEASE}-${target}.tar.gz`);
  if (fs.existsSync(archive) && fs.statSync(archive).size > 0) {
    log(`ripgrep cache already seeded: ${archive}`);
    return;
  }
  const rg = '/usr/bin/rg';
  if (!fs.existsSync(rg)) throw new InstallError(`${rg} is missing (Debian package ripgrep)`);
  fs.mkdirSync(cacheDir, { recursive: true });
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'munero-rg-'));
  try {
    fs.copyFileSync(rg, path.join(staging, 'rg'));
    fs.chmodSync(path.join(staging, 'rg'), 0o755);
    const partial = `${archive}.partial-${process.pid}`;
    run('tar', ['-czf', partial, '-C', staging, 'rg']);
    fs.renameSync(partial, archive);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  log(`seeded ripgrep cache from ${rg}: ${archive}`);
}

// Written only after a complete, checked install, so that an interrupted one is redone.
const markerFile = () => path.join(codeServerCacheDir(), '.munero-installed');
function readMarker() {
  try {
    return fs.readFileSync(markerFile(), 'utf8').trim();
  } catch {
    return undefined;
  }
}

function hasNodeGypHeaders() {
  const cache = path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'node-gyp', process.versions.node);
  return fs.existsSync(path.join(cache, 'include', 'node', 'node_api.h'));
}

function installCodeServer() {
  const dir = codeServerCacheDir();
  const have = installedCodeServerVersion();
  if (have === CODE_SERVER_VERSION && fs.existsSync(codeServerBin()) && readMarker() === CODE_SERVER_VERSION) {
    log(`code-server ${have} already installed in ${dir}`);
    return;
  }
  log(have ? `code-server ${have} found in ${dir}; replacing it with ${CODE_SERVER_VERSION}` : `installing code-server ${CODE_SERVER_VERSION} into ${dir} (about 1-2 minutes, ~280 MB)`);
  seedRipgrepCache();
  // Start from an empty folder so that a half-finished earlier install does not linger.
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'munero-code-server-cache', private: true }, null, 2) + '\n');
  const t = Date.now();
  const env = {
    ...process.env,
    // code-server's postinstall refuses to run as root without it.
    npm_config_unsafe_perm: 'true',
    // node-pty's postinstall runs `npx node-gyp`, which must not stop to ask.
    npm_config_yes: 'true',
  };
  // Native modules (argon2, kerberos, node-pty, ...) fall back to compiling when their prebuilt
  // binaries cannot be downloaded; node-gyp then downloads Node's headers unless it is pointed at
  // the ones installed with this Node (Debian/NodeSource put them in <prefix>/include/node).
  const nodePrefix = path.resolve(path.dirname(process.execPath), '..');
  if (!env.npm_config_nodedir && fs.existsSync(path.join(nodePrefix, 'include', 'node', 'node_api.h'))) {
    env.npm_config_nodedir = nodePrefix;
    log(`using Node's installed headers for native modules: npm_config_nodedir=${nodePrefix}`);
  } else if (!env.npm_config_nodedir && !hasNodeGypHeaders()) {
    log(`warning: no Node headers in ${nodePrefix}/include/node or node-gyp's cache; native modules may fail to build offline`);
  }
  run('npm', ['install', '--prefix', dir, '--no-audit', '--no-fund', `code-server@${CODE_SERVER_VERSION}`], { env });
  const now = installedCodeServerVersion();
  if (now !== CODE_SERVER_VERSION || !fs.existsSync(codeServerBin())) {
    throw new InstallError(`npm finished but ${codeServerBin()} (version ${CODE_SERVER_VERSION}) is not there`);
  }
  // Its own config path: without one, code-server writes ~/.config/code-server/config.yaml.
  const check = spawnSync(codeServerBin(), ['--config', path.join(dir, 'code-server.yaml'), '--version'], { encoding: 'utf8' });
  if (check.status !== 0) throw new InstallError(`code-server --version failed: ${check.stderr || check.stdout}`);
  fs.writeFileSync(markerFile(), `${CODE_SERVER_VERSION}\n`);
  log(`code-server installed in ${seconds(t)}: ${check.stdout.trim().split('\n').pop()}`);
}

try {
  ensureCodeServerPackages();
  installCodeServer();
  log(`ready in ${seconds(started)}`);
} catch (err) {
  console.error(`[install-code-server] FAILED: ${err instanceof InstallError ? err.message : err?.stack || err}`);
  process.exit(1);
}
