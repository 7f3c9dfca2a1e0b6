import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { HelperReply, HelperRequest } from './protocol';

type Body<R> = R extends HelperRequest ? Omit<R, 'id'> : never;
export type HelperRequestBody = Body<HelperRequest>;

/** How long one request to the helper may take (a wrap scans the workspace for protected files). */
const REQUEST_TIMEOUT_MS = 30_000;
/** What the helper printed last is kept to explain why it died. */
const STDERR_TAIL_CHARS = 2000;

/**
 * Where the helper's code is: next to the bundle (dist/sandbox-helper.js) when running bundled,
 * else the TypeScript source, run through tsx (tests and scripts run the sources).
 */
function helperEntry(): { file: string; execArgv: string[]; env: Record<string, string> } {
  const bundled = path.join(__dirname, 'sandbox-helper.js');
  if (fs.existsSync(bundled)) return { file: bundled, execArgv: [], env: {} };
  // Resolved here: the helper's working folder is the workspace, where tsx is not installed.
  const tsx = pathToFileURL(createRequire(__filename).resolve('tsx')).href;
  // tsx would otherwise read the workspace's tsconfig.json, whose `paths` could swap the sandbox library for the workspace's own code.
  const tsconfig = path.resolve(__dirname, '..', '..', '..', '..', 'tsconfig.json');
  return { file: path.join(__dirname, 'helperMain.ts'), execArgv: ['--import', tsx], env: { TSX_TSCONFIG_PATH: tsconfig } };
}

/** The sandbox helper child process and a request/reply channel to it. */
export class SandboxHelper {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (r: HelperReply) => void; timer: NodeJS.Timeout }>();
  private exited: string | undefined;
  private stderrTail = '';

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (reply: HelperReply) => {
      const entry = this.waiting.get(reply.id);
      if (!entry) return;
      this.waiting.delete(reply.id);
      clearTimeout(entry.timer);
      entry.resolve(reply);
    });
    child.stderr?.setEncoding('utf8').on('data', (text: string) => {
      this.stderrTail = (this.stderrTail + text).slice(-STDERR_TAIL_CHARS);
    });
    child.on('exit', (code, signal) => {
      const said = this.stderrTail.trim().split('\n').slice(-3).join(' / ');
      this.exited = `the sandbox helper exited (${signal ?? `code ${code}`})${said ? `: ${said}` : ''}`;
      for (const [id, entry] of this.waiting) {
        clearTimeout(entry.timer);
        entry.resolve({ id, ok: false, error: this.exited });
      }
      this.waiting.clear();
    });
    child.on('error', () => undefined);
  }

  /** Starts the helper in `cwd` with `env` (an allowlisted environment: never the API key). */
  static start(cwd: string, env: Record<string, string>): SandboxHelper {
    const entry = helperEntry();
    const child = fork(entry.file, [], {
      cwd,
      // In VS Code's extension host process.execPath is Electron; this makes it plain Node.
      env: { ...env, ...entry.env, ELECTRON_RUN_AS_NODE: '1' },
      execArgv: entry.execArgv,
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'json',
    });
    return new SandboxHelper(child);
  }

  request(body: HelperRequestBody, timeoutMs = REQUEST_TIMEOUT_MS): Promise<HelperReply> {
    const id = this.nextId++;
    if (this.exited) return Promise.resolve({ id, ok: false, error: this.exited });
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        resolve({ id, ok: false, error: `the sandbox helper did not answer "${body.type}" within ${timeoutMs / 1000} s` });
      }, timeoutMs);
      timer.unref();
      this.waiting.set(id, { resolve, timer });
      this.child.send({ ...body, id } as HelperRequest);
    });
  }

  stop(): void {
    if (this.exited) return;
    // Disconnecting lets the helper reset the sandbox (proxies, mount points) before it exits.
    if (this.child.connected) this.child.disconnect();
    const kill = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    kill.unref();
  }
}
