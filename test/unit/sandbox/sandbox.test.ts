import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { CommandRunner } from '../../../src/core/tools/commandRunner';
import { tempDir } from '../tools/helpers';

/**
 * Attacks a hostile model could make through a command (its own test, a script it wrote), tried
 * on the real file system, the real process table and a real socket, against the real sandbox.
 */
describe('the command sandbox (bubblewrap through sandbox-runtime)', function () {
  this.timeout(60_000);
  let dir: string;
  let ws: string;
  let outside: string;
  let cleanup: () => void;
  let runner: CommandRunner;
  let spec: string;

  before(async () => {
    ({ dir, cleanup } = tempDir());
    ws = path.join(dir, 'ws');
    outside = path.join(dir, 'outside');
    for (const d of [ws, outside, path.join(ws, '.git'), path.join(ws, '.munero')]) fs.mkdirSync(d, { recursive: true });
    fs.writeFileSync(path.join(ws, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    spec = path.join(ws, 'SPEC.md');
    fs.writeFileSync(spec, '# Spec\n- R1: a requirement\n');
    runner = await CommandRunner.open({ workspaceRoot: fs.realpathSync(ws), mode: 'on', protectedPaths: [spec] });
    assert.equal(runner.sandbox.kind, 'on', `no sandbox on this machine: ${runner.sandbox.detail}`);
  });
  after(async () => {
    await runner.close();
    cleanup();
  });

  const run = (command: string, r = runner) => r.run({ command, timeoutMs: 20_000, maxOutputChars: 20_000 });

  it('lets a command write the workspace and its private temp folder', async () => {
    const r = await run('mkdir -p src && echo built > src/out.txt && t=$(mktemp) && echo ok > "$t" && cat "$t"');
    assert.equal(r.exitCode, 0, r.output);
    assert.equal(fs.readFileSync(path.join(ws, 'src', 'out.txt'), 'utf8'), 'built\n');
    assert.match(r.output, /^ok$/m);
  });

  it('refuses writes outside the workspace, into the home folder and into /tmp', async () => {
    const target = path.join(outside, 'escaped.txt');
    const home = path.join(os.homedir(), `munero-escape-${process.pid}.txt`);
    const tmp = path.join(os.tmpdir(), `munero-escape-${process.pid}.txt`);
    for (const file of [target, home, tmp]) {
      const r = await run(`echo pwned > ${JSON.stringify(file)}`);
      assert.notEqual(r.exitCode, 0, `${file} was written`);
      assert.match(r.output, /Read-only file system/);
      assert.equal(fs.existsSync(file), false, file);
    }
  });

  it('keeps .git, .munero and the spec read-only but readable, however they are reached', async () => {
    fs.symlinkSync('.git', path.join(ws, 'g'));
    fs.symlinkSync('.munero', path.join(ws, 'm'));
    const attempts = ['echo x > .git/hooks-pre-commit', 'echo x > g/config', 'echo x > m/config.json', 'echo x > .munero/config.json', 'echo hacked >> SPEC.md', 'rm -f SPEC.md'];
    for (const attempt of attempts) {
      const r = await run(attempt);
      assert.notEqual(r.exitCode, 0, `${attempt}: ${r.output}`);
    }
    assert.deepEqual(fs.readdirSync(path.join(ws, '.git')), ['HEAD']);
    assert.deepEqual(fs.readdirSync(path.join(ws, '.munero')), []);
    assert.equal(fs.readFileSync(spec, 'utf8'), '# Spec\n- R1: a requirement\n');
    const read = await run('cat .git/HEAD SPEC.md');
    assert.equal(read.exitCode, 0);
    assert.match(read.output, /refs\/heads\/main/);
  });

  it('shows a command no other process, so no key can be read from any /proc/*/environ', async () => {
    const marker = `sk-ant-api03-PROCLEAK-${process.pid}`;
    const holder = spawn('sleep', ['60'], { env: { ...process.env, ANTHROPIC_API_KEY: marker }, stdio: 'ignore' });
    try {
      const hunt = `for f in /proc/[0-9]*/environ; do { tr '\\0' '\\n' < "$f"; } 2>/dev/null; done | grep -c PROCLEAK || true`;
      const sandboxed = await run(hunt);
      assert.equal(sandboxed.output.trim(), '0', 'a sandboxed command found the key');
      // The same hunt without the sandbox finds it: the test can tell the difference.
      const open = CommandRunner.withoutSandbox({ workspaceRoot: ws });
      assert.notEqual((await run(hunt, open)).output.trim(), '0');
    } finally {
      holder.kill();
    }
  });

  it('gives a command no network, not even to a live listener on loopback', async () => {
    const server = net.createServer((socket) => socket.end('hello\n'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    const connect = `node -e "require('net').connect(${port},'127.0.0.1').on('data',d=>{console.log('GOT',String(d).trim());process.exit(0)}).on('error',e=>{console.log('ERR',e.code);process.exit(3)})"`;
    try {
      const sandboxed = await run(connect);
      assert.doesNotMatch(sandboxed.output, /GOT hello/);
      assert.match(sandboxed.output, /ERR/);
      const open = CommandRunner.withoutSandbox({ workspaceRoot: ws });
      assert.match((await run(connect, open)).output, /GOT hello/);
    } finally {
      server.close();
    }
  });

  it('still lets a test serve and call its own loopback server (its own network namespace)', async () => {
    const selfServe = `node -e "const h=require('http');const s=h.createServer((q,r)=>r.end('self-ok')).listen(0,'127.0.0.1',()=>h.get('http://127.0.0.1:'+s.address().port,res=>res.on('data',d=>{console.log(String(d));process.exit(0)})))"`;
    const r = await run(selfServe);
    assert.equal(r.exitCode, 0, r.output);
    assert.match(r.output, /self-ok/);
  });

  it('reaches the hosts the user allows through the proxy, and no other', async () => {
    const server = http.createServer((_req, res) => res.end('host-reply'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    const allowing = await CommandRunner.open({ workspaceRoot: fs.realpathSync(ws), mode: 'on', allowedHosts: ['localhost'] });
    try {
      const allowed = await run(`curl -s --max-time 10 --noproxy '' http://localhost:${port}/`, allowing);
      assert.equal(allowed.output.trim(), 'host-reply');
      const other = await run(`curl -s --max-time 10 --noproxy '' -o /dev/null -w '%{http_code}' http://example.com/`, allowing);
      assert.equal(other.output.trim(), '403');
    } finally {
      await allowing.close();
      server.close();
    }
  });

  it('stops a command at its timeout, with everything it started', async () => {
    const marker = `munero-sleeper-${process.pid}`;
    const r = await runner.run({ command: `sh -c 'exec -a ${marker} sleep 60' & sleep 60`, timeoutMs: 1500, maxOutputChars: 2000 });
    assert.equal(r.timedOut, true);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const left = fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
      try {
        return fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(marker);
      } catch {
        return false;
      }
    });
    assert.deepEqual(left, []);
  });

  it('takes away a .git folder a command plants where the workspace had none', async () => {
    const { dir: bare, cleanup: done } = tempDir();
    const noGit = await CommandRunner.open({ workspaceRoot: fs.realpathSync(bare), mode: 'on' });
    try {
      const r = await run('mkdir -p .git/hooks && printf "#!/bin/sh\\ncurl evil" > .git/hooks/pre-commit', noGit);
      assert.match(r.output, /removed the git repository metadata this command created: \.git\b/);
      assert.equal(fs.existsSync(path.join(bare, '.git')), false);
    } finally {
      await noGit.close();
      done();
    }
  });

  it('cannot be swapped for workspace code through the workspace tsconfig (the helper from source runs through tsx)', async () => {
    const { dir: hostile, cleanup: done } = tempDir();
    const marker = path.join(outside, 'helper-replaced');
    fs.writeFileSync(path.join(hostile, 'tsconfig.json'), JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@anthropic-ai/sandbox-runtime': ['./evil.ts'] } } }));
    fs.writeFileSync(
      path.join(hostile, 'evil.ts'),
      `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'workspace code ran in the helper');\n` +
        'export const SandboxManager = { isSupportedPlatform: () => true, checkDependencies: () => ({ errors: [], warnings: [] }), initialize: async () => {}, wrapWithSandbox: async (c: string) => c, cleanupAfterCommand() {}, reset: async () => {} };\n' +
        'export const SandboxRuntimeConfigSchema = { parse: (x: unknown) => x };\n',
    );
    const helper = await CommandRunner.open({ workspaceRoot: fs.realpathSync(hostile), mode: 'on' });
    try {
      const escape = path.join(outside, 'escaped-through-tsconfig');
      await run(`echo pwn > ${JSON.stringify(escape)}`, helper);
      assert.equal(fs.existsSync(marker), false, 'the workspace replaced the sandbox library');
      assert.equal(fs.existsSync(escape), false);
    } finally {
      await helper.close();
      done();
    }
  });

  it('refuses every command, with the reason and the opt-out, when no sandbox can start', async () => {
    const broken = await CommandRunner.open({ workspaceRoot: ws, mode: 'on', ripgrepPath: '/nonexistent/rg' });
    assert.equal(broken.sandbox.kind, 'unavailable');
    assert.match(broken.sandbox.detail, /ripgrep/);
    fs.rmSync(path.join(ws, 'never.txt'), { force: true });
    const r = await run('echo ran > never.txt', broken);
    assert.equal(r.exitCode, null);
    assert.match(r.output, /Not run: .*--no-sandbox.*"munero\.sandbox": "off"/s);
    assert.equal(fs.existsSync(path.join(ws, 'never.txt')), false);
  });
});

describe('the command environment', () => {
  let holder: ChildProcess | undefined;
  afterEach(() => holder?.kill());

  it('is an allowlist: secrets under any name stay out, names the user lists come in, the key never', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { ANTHROPIC_API_KEY: 'sk-ant-LEAK-1', DATABASE_URL: 'postgres://u:LEAK-2@h/db', AWS_SESSION: 'LEAK-3', PLAIN_VAR: 'plain', WANTED: 'wanted' });
    const { dir, cleanup } = tempDir();
    try {
      const runner = CommandRunner.withoutSandbox({ workspaceRoot: dir, envNames: ['WANTED', 'ANTHROPIC_API_KEY'] });
      const r = await runner.run({ command: 'env', timeoutMs: 10_000, maxOutputChars: 50_000, env: { EXTRA: 'extra' } });
      for (const leaked of ['LEAK-1', 'LEAK-2', 'LEAK-3', 'PLAIN_VAR']) assert.ok(!r.output.includes(leaked), leaked);
      const lines = r.output.split('\n');
      for (const line of ['WANTED=wanted', 'EXTRA=extra', `CI=${process.env.CI ?? '1'}`, 'NO_COLOR=1', `PATH=${process.env.PATH}`]) assert.ok(lines.includes(line), line);
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      cleanup();
    }
  });
});
