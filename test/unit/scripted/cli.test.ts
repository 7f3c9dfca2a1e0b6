import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import Anthropic from '@anthropic-ai/sdk';
import { serveScriptCommand } from '../../../src/scripted/cli';
import { MODEL, clientFor, script } from './helpers';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, done: () => void) {
    this.text += chunk.toString();
    done();
  }
}

async function waitFor<T>(probe: () => T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const listeningUrl = (text: string) => /^listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(text)?.[1];

describe('munero serve-script', () => {
  let dir: string;
  let scriptFile: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'munero-cli-'));
    scriptFile = path.join(dir, 'script.json');
    fs.writeFileSync(scriptFile, JSON.stringify(script({ agent: 'coder', content: [{ type: 'text', text: 'from the CLI' }] })));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const run = async (args: string[]) => {
    const stdout = new Capture();
    const stderr = new Capture();
    const code = await serveScriptCommand(args, { stdout, stderr });
    return { code, stdout: stdout.text, stderr: stderr.text };
  };

  it('prints help with --help', async () => {
    const r = await run(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /munero serve-script <script\.json> \[--port N\] \[--latency-ms N\]/);
    assert.match(r.stdout, /--record <out\.json> --upstream URL/);
  });

  const badArgs: Array<[string[], RegExp]> = [
    [[], /give exactly one script file/],
    [['a.json', 'b.json'], /give exactly one script file/],
    [['x.json', '--port', 'abc'], /--port must be a whole number/],
    [['x.json', '--port', '70000'], /--port must be a whole number/],
    [['x.json', '--latency-ms', '-5'], /--latency-ms/],
    [['x.json', '--bogus'], /there is no option --bogus/],
    [['--record', 'out.json'], /--record needs --upstream/],
    [['--record', 'out.json', '--upstream', 'ftp://x'], /--upstream must be an http\(s\) URL/],
    [['--record', 'out.json', '--upstream', 'http://x', 'extra.json'], /--record takes no script argument/],
    [['x.json', '--upstream', 'http://x'], /--upstream is only used with --record/],
  ];
  for (const [args, message] of badArgs) {
    it(`exits 2 for bad arguments: ${args.join(' ') || '(none)'}`, async () => {
      const r = await run(args);
      assert.equal(r.code, 2);
      assert.match(r.stderr, message);
    });
  }

  it('exits 2 naming the file, turn and field for a bad script', async () => {
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify({ version: 1, turns: [{ agent: 'coder', content: [{ type: 'txt', text: 'x' }] }] }));
    const r = await run([bad]);
    assert.equal(r.code, 2);
    assert.ok(r.stderr.includes(bad));
    assert.match(r.stderr, /turns\[0\]\.content\[0\]\.type/);
    assert.equal((await run([path.join(dir, 'nope.json')])).code, 2);
  });

  it('serves the script until stopped', async () => {
    const stdout = new Capture();
    const stderr = new Capture();
    const stop = new AbortController();
    const done = serveScriptCommand([scriptFile, '--latency-ms', '10'], { stdout, stderr, signal: stop.signal });
    const url = await waitFor(() => listeningUrl(stdout.text), 'the listening line');
    const msg = await clientFor({ url }).messages.create({ model: MODEL, max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] });
    assert.equal((msg.content[0] as Anthropic.TextBlock).text, 'from the CLI');
    stop.abort();
    assert.equal(await done, 0);
    assert.match(stderr.text, /served 1 request \(0 rejected with 400\); 0 turns left unplayed/);
  });

  it('stops on SIGTERM when run as a process', async function () {
    this.timeout(20000);
    // The project compiles to CommonJS, so the child loads the TypeScript module with require (via tsx).
    const entry = `require('./src/scripted/cli.ts').serveScriptCommand(${JSON.stringify([scriptFile])}).then((c) => process.exit(c));`;
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', entry], { cwd: path.resolve(__dirname, '../../..') });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await waitFor(() => listeningUrl(out), 'the child to listen');
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
