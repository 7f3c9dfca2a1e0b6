import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';

const repoRoot = resolve(__dirname, '..', '..', '..');

export interface LspMessage {
  id?: number;
  method?: string;
  params?: any;
  result?: any;
  error?: unknown;
}

/**
 * Starts `munero lsp --stdio` and speaks framed JSON-RPC to it. Every byte on stdout must belong
 * to a `Content-Length` frame: anything else is recorded in `stray`.
 */
export class LspTestClient {
  readonly messages: LspMessage[] = [];
  stray = '';
  stderr = '';
  private readonly child: ChildProcess;
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private waiters: (() => void)[] = [];

  private exited = false;

  constructor() {
    this.child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'src', 'cli', 'main.ts'), 'lsp', '--stdio'], { cwd: repoRoot, stdio: 'pipe' });
    this.child.once('exit', () => (this.exited = true));
    this.child.stdout!.on('data', (chunk: Buffer) => this.read(chunk));
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
  }

  notify(method: string, params: unknown): void {
    this.send({ jsonrpc: '2.0', method, params });
  }

  async request(method: string, params: unknown, timeoutMs = 20_000): Promise<any> {
    const id = this.nextId++;
    this.send({ jsonrpc: '2.0', id, method, params });
    const reply = await this.waitFor((m) => m.id === id && m.method === undefined, timeoutMs);
    if (reply.error) throw new Error(`${method} failed: ${JSON.stringify(reply.error)}`);
    return reply.result;
  }

  async waitFor(match: (m: LspMessage) => boolean, timeoutMs = 20_000): Promise<LspMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(match);
      if (found) return found;
      if (this.exited || Date.now() > deadline) throw new Error(`no such message within ${timeoutMs} ms (server exited: ${this.exited}); got ${JSON.stringify(this.messages.map((m) => m.method ?? m.id))}; stderr: ${this.stderr}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 200);
      });
    }
  }

  async stop(): Promise<number | null> {
    const exited = new Promise<number | null>((r) => this.child.once('exit', (code) => r(code)));
    await this.request('shutdown', null).catch(() => undefined);
    this.notify('exit', null);
    const timer = setTimeout(() => this.child.kill(), 5000);
    const code = await exited;
    clearTimeout(timer);
    return code;
  }

  private send(message: object): void {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.child.stdin!.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]));
  }

  private read(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) break;
      const header = this.buffer.subarray(0, headerEnd).toString();
      const length = /^Content-Length: (\d+)$/im.exec(header);
      if (!length || !/^Content-Length: \d+(\r\nContent-Type: [^\r\n]+)?$/i.test(header)) {
        this.stray += header;
        this.buffer = this.buffer.subarray(headerEnd + 4);
        continue;
      }
      const end = headerEnd + 4 + Number(length[1]);
      if (this.buffer.length < end) break;
      this.messages.push(JSON.parse(this.buffer.subarray(headerEnd + 4, end).toString('utf8')) as LspMessage);
      this.buffer = this.buffer.subarray(end);
    }
    for (const w of this.waiters.splice(0)) w();
  }
}
