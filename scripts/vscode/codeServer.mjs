// Where the test copy of code-server lives, and how to start and stop it for a test run.
// code-server is VS Code's own server and workbench, published on npm; the tests open it in a
// headless browser. scripts/vscode/install-code-server.mjs installs it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The newest code-server release whose engines.node allows Node 20 (VS Code 1.100.3). */
export const CODE_SERVER_VERSION = '4.100.3';

export const repoRoot = () => path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const codeServerCacheDir = () => path.join(repoRoot(), '.cache', 'code-server');
export const codeServerBin = () => path.join(codeServerCacheDir(), 'node_modules', '.bin', 'code-server');

/** The version of code-server in the cache folder, or undefined. */
export function installedCodeServerVersion() {
  try {
    const pkg = path.join(codeServerCacheDir(), 'node_modules', 'code-server', 'package.json');
    return JSON.parse(fs.readFileSync(pkg, 'utf8')).version;
  } catch {
    return undefined;
  }
}

/**
 * Writes USER_DATA_DIR/User/settings.json for a test profile: workspace trust off (in test mode
 * VS Code refuses the trust dialog, which would leave the folder in Restricted Mode), no
 * telemetry, no welcome page, no update checks; `extra` is merged over these.
 */
export function writeTestUserSettings(userDataDir, extra = {}) {
  const settings = {
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'update.mode': 'none',
    ...extra,
  };
  const file = path.join(userDataDir, 'User', 'settings.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(settings, null, 2) + '\n');
  return file;
}

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * The environment for code-server: ours without the variables that would make it hand the
 * folder to an enclosing VS Code (VSCODE_IPC_HOOK_CLI and the rest of VSCODE_*) or run Electron
 * as plain Node, plus `extra`.
 */
export function codeServerEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('VSCODE_') || k === 'ELECTRON_RUN_AS_NODE') continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

/**
 * Runs code-server once (e.g. `--install-extension x.vsix`) against the given profile folders
 * and resolves to its output; rejects on a non-zero exit.
 */
export function runCodeServerCli(args, { userDataDir, extensionsDir, env = {}, timeoutMs = 120_000 } = {}) {
  return new Promise((resolve, reject) => {
    const full = [
      ...(userDataDir ? ['--user-data-dir', userDataDir] : []),
      ...(extensionsDir ? ['--extensions-dir', extensionsDir] : []),
      ...args,
    ];
    const child = spawn(codeServerBin(), full, { env: codeServerEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`code-server ${args.join(' ')} timed out after ${timeoutMs} ms\n${out}`));
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`code-server ${args.join(' ')} exited with ${code ?? signal}\n${out}`));
    });
  });
}

/**
 * Starts code-server on 127.0.0.1 without authentication, in its own process group, and waits
 * for its "HTTP server listening" line.
 * @param {object} o
 * @param {string} o.workspace folder to open by default
 * @param {string} o.userDataDir profile folder (see writeTestUserSettings)
 * @param {string} o.extensionsDir folder of installed extensions
 * @param {Record<string,string>} [o.env] added to the environment; reaches the extension host
 * @param {number} [o.port] default: a free port
 * @param {string} [o.logFile] where to write code-server's output
 * @param {number} [o.timeoutMs] how long to wait for it to listen (default 60 s)
 * @param {string[]} [o.extraArgs]
 * @returns {Promise<{url: string, port: number, pid: number, stop: () => Promise<void>, logTail: () => string, exited: Promise<number|string>}>}
 */
export async function startCodeServer({ workspace, userDataDir, extensionsDir, env = {}, port, logFile, timeoutMs = 60_000, extraArgs = [] }) {
  const bin = codeServerBin();
  if (!fs.existsSync(bin)) {
    throw new Error(`code-server is not installed (${bin}); run: node scripts/vscode/install-code-server.mjs`);
  }
  port ??= await freePort();
  fs.mkdirSync(userDataDir, { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  const args = [
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    // Its own config file, so that it does not create ~/.config/code-server/config.yaml.
    '--config', path.join(userDataDir, 'code-server.yaml'),
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    ...extraArgs,
    workspace,
  ];
  const child = spawn(bin, args, {
    env: codeServerEnv(env),
    detached: true, // its own process group: stop() ends its file watchers and extension hosts too
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logStream = logFile ? fs.createWriteStream(logFile, { flags: 'a' }) : undefined;
  let tail = '';
  const onOutput = (chunk) => {
    logStream?.write(chunk);
    tail = (tail + chunk).slice(-20_000);
  };
  child.stdout.on('data', onOutput);
  child.stderr.on('data', onOutput);

  let exitInfo;
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exitInfo = code ?? signal;
      resolve(exitInfo);
    });
    child.on('error', (err) => {
      exitInfo = err.message;
      resolve(exitInfo);
    });
  });

  const groupAlive = () => {
    try {
      process.kill(-child.pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const killGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      /* already gone */
    }
  };
  let stopping;
  const stop = () =>
    (stopping ??= (async () => {
      if (child.pid === undefined) return;
      killGroup('SIGTERM');
      const deadline = Date.now() + 5_000;
      while (groupAlive() && Date.now() < deadline) await sleep(100);
      if (groupAlive()) {
        killGroup('SIGKILL');
        const hard = Date.now() + 5_000;
        while (groupAlive() && Date.now() < hard) await sleep(100);
      }
      if (exitInfo === undefined) await Promise.race([exited, sleep(2_000)]);
      await new Promise((resolve) => (logStream ? logStream.end(resolve) : resolve()));
    })());

  try {
    const url = await new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`code-server did not report "HTTP server listening" within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const check = () => {
        const m = /HTTP server listening on (http:\/\/\S+)/.exec(tail);
        if (m) {
          clearTimeout(timer);
          resolve(m[1].replace(/\/$/, ''));
        }
      };
      child.stdout.on('data', check);
      child.stderr.on('data', check);
      exited.then((info) => {
        clearTimeout(timer);
        reject(new Error(`code-server exited (${info}) before listening`));
      });
    });
    return { url, port: Number(new URL(url).port), pid: child.pid, stop, logTail: () => tail, exited };
  } catch (err) {
    await stop();
    err.message += `\n--- code-server output ---\n${tail.slice(-4_000)}`;
    throw err;
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
