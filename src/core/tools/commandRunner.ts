import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { commandEnv } from './commandEnv';
import { existingRepositories, removePlantedRepositories } from './plantedRepositories';
import { runCommand, type CommandResult } from './runCommand';
import { invalidHosts } from './sandbox/hostPattern';
import { SandboxHelper } from './sandbox/helperProcess';
import { sandboxPolicy } from './sandbox/policy';

/** How commands are confined in this build, as the log, the tree and the report say it. */
export type SandboxStatus =
  | { kind: 'on'; mechanism: string; network: string[]; detail: string }
  | { kind: 'off'; detail: string }
  | { kind: 'unavailable'; detail: string };

export type SandboxMode = 'on' | 'off';

export interface CommandRunnerOptions {
  /** Real path of the workspace root; commands run there. */
  workspaceRoot: string;
  /** 'off' only by the user's explicit choice (`--no-sandbox`, `munero.sandbox: "off"`). */
  mode: SandboxMode;
  /** Hosts commands may reach (`commands.network`); none by default. */
  allowedHosts?: string[];
  /** Environment variable names passed to commands besides the fixed allowlist (`commands.env`). */
  envNames?: string[];
  /** Files commands must not write besides .git, .munero and .vscode: the build's spec. */
  protectedPaths?: string[];
  /** ripgrep for the sandbox's scan of protected files (VS Code ships one; else `rg` on PATH). */
  ripgrepPath?: string;
}

/**
 * Sees what a command changed in the workspace, so checkpoints and rollback cover a formatter's
 * or a test's writes as they cover tool writes (CommandWriteTracker in changes/).
 */
export interface CommandWriteObserver {
  before(): Promise<unknown>;
  after(token: unknown, label: string, origin?: { agentId: string; taskId?: string }): Promise<unknown>;
}

export interface RunOptions {
  command: string;
  /** Who ran it, for the change log: an agent (and its task), or the checks. */
  origin?: { agentId: string; taskId?: string };
  timeoutMs: number;
  maxOutputChars: number;
  signal?: AbortSignal;
  /** Variables set for this command on top of the allowlisted environment. */
  env?: Record<string, string>;
}

export class SandboxUnavailableError extends Error {
  constructor(readonly reason: string) {
    super(
      `Commands cannot run in an OS sandbox here: ${reason}. Munero runs the project's checks and the agents' ` +
        'commands only inside one (bubblewrap and socat on Linux: `sudo apt-get install bubblewrap socat ripgrep`; ' +
        'sandbox-exec on macOS). To run them without a sandbox, with your own account\'s full rights, say so ' +
        'explicitly: `--no-sandbox` in the terminal, or the user setting "munero.sandbox": "off" in VS Code.',
    );
    this.name = 'SandboxUnavailableError';
  }
}

/**
 * The one door every command goes through, agents' and checks' alike: the environment comes
 * from an allowlist, and inside the OS sandbox a command may write only the workspace (not
 * .git, .munero, .vscode or the spec) and a private temp folder, sees no other process and
 * reaches no host the user did not allow.
 */
export class CommandRunner {
  private inFlight = 0;
  private writes: CommandWriteObserver | undefined;

  private constructor(
    private readonly options: CommandRunnerOptions,
    readonly sandbox: SandboxStatus,
    private readonly helper: SandboxHelper | undefined,
    private readonly tmpDir: string | undefined,
  ) {}

  static async open(options: CommandRunnerOptions): Promise<CommandRunner> {
    const hosts = options.allowedHosts ?? [];
    const bad = invalidHosts(hosts);
    if (bad.length) throw new Error(`commands.network: ${bad.map((h) => JSON.stringify(h)).join(', ')} is not a host name (use example.com or *.example.com)`);
    if (options.mode === 'off') return CommandRunner.withoutSandbox(options);
    const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'munero-run-'));
    const helper = SandboxHelper.start(options.workspaceRoot, commandEnv());
    const fail = (detail: string) => {
      helper.stop();
      fs.rmSync(tmpDir, { recursive: true, force: true });
      return new CommandRunner(options, { kind: 'unavailable', detail }, undefined, undefined);
    };
    const policy = sandboxPolicy({ workspaceRoot: options.workspaceRoot, tmpDir, protectedPaths: options.protectedPaths ?? [], allowedHosts: hosts });
    const init = await helper.request({ type: 'init', policy, tmpDir, ripgrep: options.ripgrepPath });
    if (!init.ok) return fail(init.error);
    const runner = new CommandRunner(
      options,
      { kind: 'on', mechanism: init.platform ?? 'sandbox', network: hosts, detail: describePolicy(init.platform ?? 'sandbox', hosts) },
      helper,
      tmpDir,
    );
    // A sandbox that cannot start a shell (no user namespaces in this container, say) is no sandbox.
    const probe = await runner.run({ command: 'true', timeoutMs: 20_000, maxOutputChars: 2000 });
    if (probe.exitCode !== 0) return fail(`a test command failed inside it (${probe.output.trim().split('\n').slice(-2).join(' ') || `exit ${probe.exitCode}`})`);
    return runner;
  }

  /** A runner for the user's explicit "no sandbox" choice: the environment allowlist still holds. */
  static withoutSandbox(options: Omit<CommandRunnerOptions, 'mode'>): CommandRunner {
    const detail = 'off by your choice: commands run with your account\'s full rights, without an OS sandbox';
    return new CommandRunner({ ...options, mode: 'off' }, { kind: 'off', detail }, undefined, undefined);
  }

  /** From now on, what each command changes in the workspace is recorded through `observer`. */
  trackWrites(observer: CommandWriteObserver): void {
    this.writes = observer;
  }

  /** Runs a command through the door. Never rejects; a refusal comes back as a result that did not start. */
  async run(opts: RunOptions): Promise<CommandResult> {
    const writes = this.writes;
    const token = await writes?.before();
    try {
      return await this.runConfined(opts);
    } finally {
      // After the sandbox's own mount points are gone, so they are never mistaken for the command's files.
      if (writes) await writes.after(token, opts.command, opts.origin);
    }
  }

  private async runConfined(opts: RunOptions): Promise<CommandResult> {
    const env = commandEnv({ extraNames: this.options.envNames, set: opts.env });
    const base = { cwd: this.options.workspaceRoot, timeoutMs: opts.timeoutMs, maxOutputChars: opts.maxOutputChars, signal: opts.signal, env, label: opts.command };
    if (this.sandbox.kind === 'off') return runCommand({ ...base, command: opts.command });
    if (!this.helper || this.sandbox.kind !== 'on') return notStarted(opts.command, new SandboxUnavailableError(this.sandbox.detail).message);

    const repositoriesBefore = existingRepositories(this.options.workspaceRoot);
    this.inFlight += 1;
    try {
      const wrap = await this.helper.request({ type: 'wrap', command: opts.command, commandId: crypto.randomUUID() });
      if (!wrap.ok || !wrap.wrapped) return notStarted(opts.command, `the sandbox could not wrap it: ${wrap.ok ? 'no command' : wrap.error}`);
      const result = await runCommand({ ...base, command: wrap.wrapped, env: { ...env, TMPDIR: this.tmpDir! } });
      result.output += removePlantedRepositories(this.options.workspaceRoot, repositoriesBefore);
      return result;
    } finally {
      this.inFlight -= 1;
      // Mount points are shared by every command of this sandbox: remove them once none is running.
      if (this.inFlight === 0) await this.helper.request({ type: 'cleanup' });
    }
  }

  async close(): Promise<void> {
    this.helper?.stop();
    if (this.tmpDir) fs.rmSync(this.tmpDir, { recursive: true, force: true });
  }
}

function describePolicy(mechanism: string, hosts: string[]): string {
  const network = hosts.length ? `network only to ${hosts.join(', ')}` : 'no network';
  return `${mechanism}: writes only to the workspace and a private temp folder (.git, .munero, .vscode and the spec read-only), no other processes visible, ${network}`;
}

function notStarted(command: string, reason: string): CommandResult {
  return { command, exitCode: null, signal: null, timedOut: false, cancelled: false, durationMs: 0, output: `Not run: ${reason}`, outputTruncated: false, totalOutputBytes: 0 };
}
