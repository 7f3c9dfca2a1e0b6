import assert from 'node:assert/strict';
import { commandEnv } from '../../../src/core/tools/commandEnv';
import { OutputBuffer } from '../../../src/core/tools/outputBuffer';
import { runCommand } from '../../../src/core/tools/runCommand';
import { isAlive, tempDir, waitFor } from './helpers';

describe('runCommand', () => {
  let cwd: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir: cwd, cleanup } = tempDir()));
  afterEach(() => cleanup());

  const run = (command: string, extra: Partial<Parameters<typeof runCommand>[0]> = {}) =>
    runCommand({ command, cwd, timeoutMs: 10_000, maxOutputChars: 10_000, env: commandEnv(), ...extra });

  it('reports exit codes and interleaved stdout and stderr', async () => {
    const ok = await run('echo out; echo err >&2; exit 0');
    assert.equal(ok.exitCode, 0);
    assert.equal(ok.signal, null);
    assert.equal(ok.timedOut, false);
    assert.match(ok.output, /out/);
    assert.match(ok.output, /err/);
    assert.equal((await run('exit 3')).exitCode, 3);
  });

  it('runs in cwd, with stdin closed', async () => {
    const r = await run('pwd; cat; echo done');
    assert.equal(r.output.split('\n')[0], cwd);
    assert.match(r.output, /done/);
  });

  it('reports a death by signal', async () => {
    const r = await run('kill -9 $$');
    assert.equal(r.exitCode, null);
    assert.equal(r.signal, 'SIGKILL');
  });

  it('kills the whole process group on timeout, grandchildren included', async () => {
    const r = await run(`sh -c 'sleep 100 & echo $!; sleep 100'`, { timeoutMs: 500 });
    assert.equal(r.timedOut, true);
    assert.ok(r.durationMs < 5_000, `took ${r.durationMs} ms`);
    const grandchild = Number(r.output.trim().split('\n')[0]);
    assert.ok(grandchild > 0, r.output);
    assert.ok(await waitFor(() => !isAlive(grandchild), 3_000), `pid ${grandchild} still alive`);
  });

  it('escalates to SIGKILL when SIGTERM is ignored', async () => {
    const r = await run(`trap '' TERM; sleep 100`, { timeoutMs: 300 });
    assert.equal(r.timedOut, true);
    assert.equal(r.signal, 'SIGKILL');
    assert.ok(r.durationMs >= 2_000 && r.durationMs < 6_000, `took ${r.durationMs} ms`);
  });

  it('stops what the shell left running in the background when it exits', async () => {
    const r = await run('sleep 100 & echo $!');
    assert.equal(r.exitCode, 0);
    assert.ok(r.durationMs < 5_000, `took ${r.durationMs} ms`);
    const pid = Number(r.output.trim());
    assert.ok(await waitFor(() => !isAlive(pid), 3_000), `pid ${pid} still alive`);
  });

  it('stops on abort and says it was cancelled', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const r = await run('sleep 100', { signal: controller.signal });
    assert.equal(r.cancelled, true);
    assert.equal(r.timedOut, false);
    assert.ok(r.durationMs < 5_000);
  });

  it('does not start when already aborted', async () => {
    const r = await run('echo should-not-run', { signal: AbortSignal.abort() });
    assert.equal(r.cancelled, true);
    assert.doesNotMatch(r.output, /should-not-run/);
  });

  it('keeps the head and tail of a 5 MB output, capped', async () => {
    const r = await run(`printf START; head -c 5000000 /dev/zero | tr '\\0' x; printf END`, { maxOutputChars: 2_000 });
    assert.equal(r.exitCode, 0);
    assert.equal(r.totalOutputBytes, 5_000_008);
    assert.equal(r.outputTruncated, true);
    assert.ok(r.output.length <= 2_000, `length ${r.output.length}`);
    assert.ok(r.output.startsWith('STARTxxx'));
    assert.ok(r.output.endsWith('xxxEND'));
    assert.match(r.output, /characters omitted/);
  });

  it('never rejects: a failure to start is a result', async () => {
    const r = await run('echo hi', { cwd: `${cwd}/does-not-exist` });
    assert.equal(r.exitCode, null);
    assert.match(r.output, /Failed to start/);
  });
});

describe('OutputBuffer', () => {
  it('holds at most its budget plus one chunk however much is pushed', () => {
    const buffer = new OutputBuffer(1_000);
    const chunk = 'y'.repeat(64 * 1024);
    buffer.push('BEGIN');
    for (let i = 0; i < 80; i++) {
      buffer.push(chunk);
      assert.ok(buffer.retainedChars <= 1_000 + chunk.length, `retained ${buffer.retainedChars}`);
    }
    buffer.push('FINISH');
    const text = buffer.text();
    assert.ok(buffer.truncated);
    assert.ok(text.length <= 1_000);
    assert.ok(text.startsWith('BEGINyyy') && text.endsWith('yyyFINISH'));
  });

  it('returns everything when it fits', () => {
    const buffer = new OutputBuffer(100);
    for (const part of ['a', 'b'.repeat(60), 'c'.repeat(39)]) buffer.push(part);
    assert.equal(buffer.text(), 'a' + 'b'.repeat(60) + 'c'.repeat(39));
    assert.equal(buffer.truncated, false);
  });
});
