import { spawn, type ChildProcess } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import { OutputBuffer } from './outputBuffer';
import { watchProcessTree, type TreeUsage } from '../metrics/processTree';
import { killPoint } from '../state/killPoint';

export interface CommandResult {
  command: string;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  cancelled: boolean;
  durationMs: number;
  /** stdout and stderr interleaved as they arrived, capped keeping head and tail. */
  output: string;
  outputTruncated: boolean;
  totalOutputBytes: number;
  /** CPU and peak memory of the command's processes, sampled from /proc; absent where there is none (not Linux). */
  resources?: TreeUsage;
}

export interface RunCommandOptions {
  command: string;
  cwd: string;
  timeoutMs: number;
  maxOutputChars: number;
  signal?: AbortSignal;
  /** The whole environment of the command (see commandEnv: an allowlist, never the key). */
  env: Record<string, string>;
  /** The command as reported, when `command` is a wrapped form of it (the sandbox's). */
  label?: string;
}

/** Time between SIGTERM and SIGKILL for a process group that must stop. */
const KILL_GRACE_MS = 2_000;
/** How long to wait for output pipes to drain once the shell itself has exited. */
const DRAIN_MS = 500;

/**
 * Runs a shell command in its own process group, so that a timeout, an abort, or the shell
 * exiting stops everything it started. Never rejects.
 */
export function runCommand(opts: RunCommandOptions): Promise<CommandResult> {
  const started = performance.now();
  const output = new OutputBuffer(opts.maxOutputChars);
  let totalOutputBytes = 0;
  let timedOut = false;
  let cancelled = false;

  const result = (exitCode: number | null, signal: string | null, note?: string): CommandResult => {
    if (note) output.push((totalOutputBytes ? '\n' : '') + note);
    return {
      command: opts.label ?? opts.command,
      exitCode,
      signal,
      timedOut,
      cancelled,
      durationMs: Math.round(performance.now() - started),
      output: output.text(),
      outputTruncated: output.truncated,
      totalOutputBytes,
    };
  };

  if (opts.signal?.aborted) {
    cancelled = true;
    return Promise.resolve(result(null, null, 'Cancelled before it started.'));
  }

  return new Promise<CommandResult>((resolve) => {
    let child: ChildProcess;
    try {
      child = spawn('/bin/sh', ['-c', opts.command], {
        cwd: opts.cwd,
        env: opts.env,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
    } catch (err) {
      resolve(result(null, null, `Failed to start: ${(err as Error).message}`));
      return;
    }

    const usage = watchProcessTree(child.pid);
    let settled = false;
    let exit: { code: number | null; signal: string | null } | undefined;
    const timers: NodeJS.Timeout[] = [];

    const killGroup = () => {
      signalGroup(child, 'SIGTERM');
      const t = setTimeout(() => signalGroup(child, 'SIGKILL'), KILL_GRACE_MS);
      t.unref();
    };

    const finish = (final: CommandResult) => {
      if (settled) return;
      settled = true;
      const measured = usage?.stop();
      if (measured) final.resources = measured;
      for (const t of timers) clearTimeout(t);
      opts.signal?.removeEventListener('abort', onAbort);
      child.stdout?.destroy();
      child.stderr?.destroy();
      resolve(final);
    };

    const onAbort = () => {
      if (exit || settled) return;
      cancelled = true;
      killGroup();
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    timers.push(
      setTimeout(() => {
        if (exit || settled) return;
        timedOut = true;
        killGroup();
      }, opts.timeoutMs),
    );

    killPoint('command:started');
    for (const stream of [child.stdout, child.stderr]) {
      const decoder = new StringDecoder('utf8');
      stream?.on('data', (chunk: Buffer) => {
        if (totalOutputBytes === 0) killPoint('command:output');
        totalOutputBytes += chunk.length;
        output.push(decoder.write(chunk));
      });
      stream?.on('end', () => output.push(decoder.end()));
      stream?.on('error', () => undefined);
    }

    child.on('error', (err) => {
      // Only a failure to start matters; later errors (a failed kill) leave the exit to come.
      if (child.pid === undefined) finish(result(null, null, `Failed to start: ${err.message}`));
    });

    child.on('exit', (code, signal) => {
      exit = { code, signal };
      // Whatever the shell left running in the background is stopped with it.
      killGroup();
      // A process that escaped the group may still hold the pipes open: do not wait for it.
      timers.push(setTimeout(() => finish(result(code, signal)), DRAIN_MS));
    });

    child.on('close', () => {
      if (exit) finish(result(exit.code, exit.signal));
    });
  });
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}
