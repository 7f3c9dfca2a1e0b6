import fs from 'node:fs';
import path from 'node:path';
import type { AgentManager, AgentRecord } from '../agents/lifecycle';
import { AgentRegistry } from '../agents/registry';
import { ChangeSet, type ChangeRecord } from '../changes/changeSet';
import { openReviewDesk } from '../review/openDesk';
import type { ReviewDecision, ReviewMode, ReviewSnapshot, ReviewTarget } from '../review/types';
import { EventBus } from '../events/bus';
import type { BuildOutcome, MuneroEvent, MuneroEventBody, UsageTotals } from '../events/types';
import { LearningDb } from '../learning';
import { runBuild } from '../loop/buildRun';
import { approveTestChanges } from '../loop/testChanges';
import { loadSpec } from '../spec';
import type { BuildState, HistoryEntry, RequirementVerdict, TestChangeFlag } from '../state/buildState';
import { START_CHECKPOINT } from '../state/checkpoints';
import { readJsonLines } from '../state/jsonLines';
import { stateFolderProblem } from '../state/stateFolder';
import { WorkspaceState, type BuildRecord } from '../state/workspaceState';
import { loadConfig, mergeConfig, type MuneroConfig } from './config';
import { CommandRunner, SandboxUnavailableError } from '../tools/commandRunner';
import { CommandWriteTracker } from '../changes/commandWrites';
import type { Spec } from '../spec';
import { resolveUserSettings, userConfigFile, withoutUserOnly } from './userConfig';
import { checkBaseURL } from './baseUrl';
import { fixAtStart, judgeOnResume, specForResume } from './frozenAtStart';
import { specToBuild, specToResume } from './specGate';
import { initialState, judgeFrozenEvent, newBuildId } from './newBuild';
import { createRunContext, type RunInputs } from './runContext';
import { WorkspaceMcp, type McpSettings } from '../mcp/workspaceServers';
import type { RunContext } from '../loop/context';
import type { ReviewDesk } from '../review/desk';
import { contentAtCheckpoint, diffOf, previewRestoreOf, timelineOf, type RestorePreview, type TimelineEntry } from './checkpointViews';
import { BuildInputError } from './inputError';
import { historyEntry, historyOf } from './history';
import { buildBreakdown } from '../metrics/breakdown';
import { watchEngine } from '../metrics/engineUsage';
import { performanceFigures, workspaceTrends } from '../metrics/trends';
import type { BuildBreakdown, BuildTrends } from '../metrics/types';
import { watchBuild, type WatchEnd, type WatchOptions } from './watchBuild';
import { restoreCheckpoint, type RestoreOutcome } from './restore';
import { envFromProcess, MissingApiKeyError, type BuildFlags, type EngineEnv } from './settings';

export interface BuildResult {
  buildId: string;
  outcome: BuildOutcome;
  reason: string;
  requirements: RequirementVerdict[];
  unmet: string[];
  usage: UsageTotals;
  /** The API refused in a way only the user can fix (see RunOutcome); the reason says how. */
  apiRefused?: { status?: number };
}

export interface BuildManagerOptions {
  workspaceRoot: string;
  /** Key, endpoint and model; read at each start/resume. Default: the process environment. */
  env?: EngineEnv | (() => EngineEnv);
  /** Settings that win over `.munero/config.json` (the extension's VS Code settings). */
  configOverrides?: MuneroConfig | (() => MuneroConfig);
  /**
   * How agents' changes reach the disk (see review/types.ts), read at each start and resume; a
   * `--review` flag (BuildFlags.reviewMode) wins. Default `auto`.
   */
  reviewMode?: ReviewMode | (() => ReviewMode);
  /** ripgrep for the sandbox's scan (VS Code's bundled one); default `rg` on PATH. */
  ripgrepPath?: string;
  /** MCP: the user's servers, trust, permissions and bundled-server settings (see mcp/workspaceServers.ts). */
  mcp?: McpSettings | (() => McpSettings);
  /** Who runs builds here, as the lock names it to anyone refused: "the munero CLI", "a VS Code window". */
  program?: string;
}

export { BuildInputError };

/** The core's one public surface: a build's lifecycle in one workspace. */
export class BuildManager {
  readonly bus = new EventBus();
  readonly workspaceRoot: string;
  private readonly state: WorkspaceState;
  /** The workspace's MCP servers: started when a build first needs their tools, kept between builds. */
  readonly mcp: WorkspaceMcp;
  private controller: AbortController | undefined;
  private agents: AgentManager | undefined;
  /** The running build's record, so an approval made during the build reaches it. */
  private current: BuildRecord | undefined;
  /** The running build's review, so decisions reach the waiting agents. */
  private desk: ReviewDesk | undefined;

  constructor(private readonly options: BuildManagerOptions) {
    const exists = fs.existsSync(options.workspaceRoot);
    this.workspaceRoot = exists ? fs.realpathSync(options.workspaceRoot) : path.resolve(options.workspaceRoot);
    this.state = new WorkspaceState(this.workspaceRoot);
    const mcp = options.mcp;
    this.mcp = new WorkspaceMcp(this.workspaceRoot, () => (typeof mcp === 'function' ? mcp() : (mcp ?? {})), this.bus);
  }

  get running(): boolean {
    return this.controller !== undefined;
  }

  async start(specPath: string, flags: BuildFlags = {}): Promise<BuildResult> {
    this.assertWorkspace();
    const env = this.env();
    const spec = specToBuild(await loadSpec(path.resolve(this.workspaceRoot, specPath)), flags, this.workspaceRoot);
    const config = this.config();
    const apiKey = requireKey(env);
    // Everything that can refuse the build is read before a build record exists.
    const parts = this.workspaceParts();
    let commands: CommandRunner | undefined;
    const id = newBuildId();
    try {
      // .munero must exist before the sandbox is set up, or it would not be among the read-only folders.
      this.state.ensureDir();
      this.state.lock.acquire(id, { program: this.program(), specPath: path.relative(this.workspaceRoot, spec.path) });
      try {
        commands = await this.openCommands(env, spec.path);
        const record = this.state.createBuild(initialState(id, spec, config, flags, env, this.reviewMode()));
        fixAtStart(record, spec, config, this.workspaceRoot);
        return await this.execute(record, { spec, config, apiKey, env, commands, ...parts }, false);
      } finally {
        this.state.lock.release();
      }
    } finally {
      parts.learning.close();
      await commands?.close();
    }
  }

  async resume(flags: BuildFlags = {}): Promise<BuildResult> {
    this.assertWorkspace();
    const env = this.env();
    const buildId = this.state.currentBuildId();
    if (!buildId) throw new BuildInputError(`There is no build to resume in ${this.workspaceRoot}. Start one with \`munero build <spec>\`.`);
    this.state.lock.acquire(buildId, { program: this.program() });
    let parts: WorkspaceParts | undefined;
    let commands: CommandRunner | undefined;
    try {
      const record = this.state.openBuild(buildId);
      this.state.lock.amend({ specPath: path.relative(this.workspaceRoot, record.state.specPath) });
      if (!['running', 'paused', 'cancelled'].includes(record.state.status)) {
        throw new BuildInputError(`Build ${buildId} already ended (${record.state.status}); there is nothing to resume.`);
      }
      if (record.state.recovered) throw new BuildInputError(recoveredNotResumable(record));
      const config = this.config();
      const { spec: startedFrom, warning: specWarning } = await specForResume(record, this.workspaceRoot);
      const spec = specToResume(startedFrom, record.state.options.only);
      const apiKey = requireKey(env);
      parts = this.workspaceParts();
      commands = await this.openCommands(env, record.state.specPath);
      record.update((s) => {
        s.status = 'running';
        s.rolledBack = undefined;
        if (flags.maxIterations !== undefined) s.options.maxIterations = flags.maxIterations;
        if (flags.maxCostUsd !== undefined) s.options.maxCostUsd = flags.maxCostUsd;
        if (flags.model !== undefined) s.options.model = flags.model;
        if (flags.maxTokens !== undefined) s.options.maxTokens = flags.maxTokens;
        if (flags.maxMinutes !== undefined) s.options.maxMinutes = flags.maxMinutes;
        if (flags.parallel !== undefined) s.options.parallel = flags.parallel;
        const mode = flags.reviewMode ?? (this.options.reviewMode !== undefined ? this.reviewMode() : undefined);
        if (mode !== undefined) s.options.reviewMode = mode;
      });
      const notices: Notice[] = [
        ...(specWarning ? [{ level: 'warn' as const, message: specWarning }] : []),
        ...judgeOnResume(record, spec, config, this.workspaceRoot, Boolean(flags.allowTestChanges)).map((message) => ({ level: 'info' as const, message })),
      ];
      return await this.execute(record, { spec, config, apiKey, env, commands, ...parts }, true, notices);
    } finally {
      parts?.learning.close();
      await commands?.close();
      this.state.lock.release();
    }
  }

  /** Stops the running build at its next safe point. `interrupt` pauses it (resumable); `cancel` ends it. */
  cancel(kind: 'interrupt' | 'cancel' = 'interrupt'): void {
    this.controller?.abort(kind);
  }

  /** Cancels one running agent; its task is escalated and the rest of the build goes on. */
  cancelAgent(agentId: string): boolean {
    return this.agents?.cancel(agentId) ?? false;
  }

  /** The running build's agents with their lifecycle states and timestamps. */
  agentStates(): AgentRecord[] {
    return this.agents?.list() ?? [];
  }

  /** The current build's state document, if there is one. */
  status(): BuildState | undefined {
    const id = this.state.currentBuildId();
    if (!id) return undefined;
    const record = this.state.openBuild(id);
    const snapshot = structuredClone(record.state);
    record.close();
    return snapshot;
  }

  /** What was recovered from damaged state files since the last call (each a sentence naming the file), for the user. */
  stateNotes(): string[] {
    return this.state.takeNotes();
  }

  /** True when a live process holds this workspace's build lock. */
  lockHolder() {
    return this.state.lock.liveHolder();
  }

  /**
   * Follows the build another process (a terminal, another window) runs in this workspace: the
   * events it logs are published on this manager's bus as they come, so every projection of the
   * bus shows that build, until it ends. Its MCP servers' events stay out: they are its own.
   */
  watch(options: WatchOptions = {}): Promise<WatchEnd> {
    if (this.running) throw new BuildInputError('This build manager is running the build itself; its events are already on its bus.');
    return watchBuild(this.state.lock, path.join(this.state.dir, 'builds'), (e) => e.type !== 'mcp.server' && this.bus.relay(e), { onNote: this.state.note, ...options });
  }

  events(): MuneroEvent[] {
    const id = this.state.currentBuildId();
    return id ? readJsonLines<MuneroEvent>(path.join(this.state.dir, 'builds', id, 'events.jsonl'), this.state.note) : [];
  }

  history(): HistoryEntry[] {
    return historyOf(this.state);
  }

  /** Where the current build's time and money went (so far, while it runs), with its bottlenecks. */
  breakdown(): BuildBreakdown | undefined {
    return this.withRecord((record) => buildBreakdown(record.state, readJsonLines<MuneroEvent>(path.join(record.dir, 'events.jsonl'), record.note)));
  }

  /** Cost per verified requirement, iterations per requirement, check time per task and first-attempt pass rate over the last builds. */
  trends(limit?: number): BuildTrends {
    return workspaceTrends(this.workspaceRoot, limit, this.state.note);
  }

  /**
   * The user approves flagged test changes (every open one by default): each file as it is now
   * becomes what the build is judged against, so the requirements it held can be verified. A
   * running build uses the approval at its next verdict; a paused one when resumed.
   */
  approveTestChanges(flagIds: string[] | 'all' = 'all'): TestChangeFlag[] {
    const running = this.current;
    const buildId = running?.state.id ?? this.state.currentBuildId();
    if (!buildId) throw new BuildInputError(`There is no build in ${this.workspaceRoot}. Start one with \`munero build <spec>\`.`);
    const holder = running ? undefined : this.state.lock.liveHolder();
    if (holder) throw new BuildInputError(`Build ${holder.buildId} is running in another process (pid ${holder.pid}); approve its test changes there.`);
    const record = running ?? this.state.openBuild(buildId);
    try {
      const approved = approveTestChanges(record.state, this.workspaceRoot, flagIds, 'user', (m) => record.update(m));
      if (!running) this.bus.continueFrom(lastSeq(record));
      for (const flag of approved) {
        const event = this.bus.emit({ type: 'test.approved', flagId: flag.id, file: flag.file, by: 'user' });
        if (!running) record.events.append(event);
      }
      return approved;
    } finally {
      if (!running) record.close();
    }
  }

  /** A flagged test as it was before the change (for a diff), and where it is now. */
  testChangeBefore(flagId: string): { file: string; before: string | undefined } | undefined {
    const record = this.current ?? (this.state.currentBuildId() ? this.state.openBuild(this.state.currentBuildId()!) : undefined);
    if (!record) return undefined;
    try {
      const flag = record.state.judge?.flags.find((f) => f.id === flagId);
      if (!flag) return undefined;
      return { file: path.join(this.workspaceRoot, flag.file.replace(/#.*$/, '')), before: flag.beforeBlob ? record.blobs.get(flag.beforeBlob).toString('utf8') : undefined };
    } finally {
      if (record !== this.current) record.close();
    }
  }

  /**
   * Restores the files the current build touched to a checkpoint (default: before the build).
   * Files changed since Munero last wrote them are kept and listed, unless `force`. With
   * `withState` the build's task state is rewound to that checkpoint too, so `resume` continues
   * from there. Either can be undone by restoring the `before-rollback-N` checkpoint it makes.
   */
  rollback(checkpoint = START_CHECKPOINT, options: { force?: boolean; withState?: boolean } = {}): RestoreOutcome & { buildId: string } {
    const buildId = this.state.currentBuildId();
    if (!buildId) throw new BuildInputError(`There is no build to roll back in ${this.workspaceRoot}. Start one with \`munero build <spec>\`.`);
    const holder = this.state.lock.liveHolder();
    if (holder) throw new BuildInputError(`Build ${holder.buildId} is running (pid ${holder.pid}); stop it before rolling back.`);
    const record = this.state.openBuild(buildId);
    try {
      this.bus.continueFrom(lastSeq(record));
      return { buildId, ...restoreCheckpoint(record, this.workspaceRoot, this.bus, checkpoint, options) };
    } finally {
      record.close();
    }
  }

  /** The current build's checkpoints, oldest first: each with its kind, task, time and files. */
  timeline(): TimelineEntry[] {
    return this.withRecord((record) => timelineOf(record)) ?? [];
  }

  /** What restoring the files to `checkpoint` would change (and keep), before doing it. */
  previewRestore(checkpoint: string, options: { force?: boolean } = {}): RestorePreview {
    return this.requireRecord((record) => previewRestoreOf(record, new ChangeSet(record, this.workspaceRoot, this.bus), this.workspaceRoot, checkpoint, options.force === true));
  }

  /** The build's changes as a unified diff: since a checkpoint (default `start`), or one task's. */
  diff(options: { task?: string; since?: string } = {}): string {
    return this.requireRecord((record) => diffOf(record, this.workspaceRoot, options));
  }

  /** A file the build touched as it was at a checkpoint; null when it did not exist there. */
  contentAt(checkpoint: string, rel: string): Buffer | null {
    return this.requireRecord((record) => contentAtCheckpoint(record, checkpoint, rel));
  }

  /** Reads the running build's record, or opens the current one for the call. */
  private withRecord<T>(read: (record: BuildRecord) => T): T | undefined {
    const id = this.current ? undefined : this.state.currentBuildId();
    const record = this.current ?? (id ? this.state.openBuild(id) : undefined);
    if (!record) return undefined;
    try {
      return read(record);
    } finally {
      if (record !== this.current) record.close();
    }
  }

  private requireRecord<T>(read: (record: BuildRecord) => T): T {
    if (!this.current && !this.state.currentBuildId()) throw new BuildInputError(`There is no build in ${this.workspaceRoot}. Start one with \`munero build <spec>\`.`);
    return this.withRecord(read) as T;
  }

  private assertWorkspace(): void {
    if (!fs.existsSync(this.workspaceRoot) || !fs.statSync(this.workspaceRoot).isDirectory()) {
      throw new BuildInputError(`The workspace ${this.workspaceRoot} is not a folder.`);
    }
    const problem = stateFolderProblem(this.workspaceRoot);
    if (problem) throw new BuildInputError(problem);
  }

  /** The user's own settings: what the adapter gave, over the user's config file. Never the workspace's. */
  private env(): EngineEnv {
    const env = this.options.env;
    return resolveUserSettings(typeof env === 'function' ? env() : (env ?? envFromProcess()));
  }

  private program(): string {
    return this.options.program ?? `${path.basename(process.argv[1] ?? process.execPath)} (Node.js)`;
  }

  private config(): MuneroConfig {
    const overrides = typeof this.options.configOverrides === 'function' ? this.options.configOverrides() : this.options.configOverrides;
    return mergeConfig(withoutUserOnly(loadConfig(this.workspaceRoot)).config, overrides ?? {});
  }

  /** Workspace files that tried to set what only the user decides: named in the log, then ignored. */
  private ignoredWorkspaceSettings(spec: Spec): string[] {
    const fromConfig = withoutUserOnly(loadConfig(this.workspaceRoot)).ignored.map((key) => `"${key}" in .munero/config.json`);
    const fromSpec = spec.settings.allow_commands?.length ? [`"allow_commands" in ${path.relative(this.workspaceRoot, spec.path) || spec.path}`] : [];
    return [...fromConfig, ...fromSpec];
  }

  /** The one command runner of this run; refuses the build when no sandbox can start and the user did not opt out. */
  private async openCommands(env: EngineEnv, specPath: string): Promise<CommandRunner> {
    let runner: CommandRunner;
    try {
      runner = await CommandRunner.open({
        workspaceRoot: this.workspaceRoot,
        mode: env.sandbox ?? 'on',
        allowedHosts: env.allowedHosts,
        envNames: env.envNames,
        protectedPaths: [specPath],
        ripgrepPath: this.options.ripgrepPath,
      });
    } catch (err) {
      throw new BuildInputError((err as Error).message);
    }
    if (runner.sandbox.kind === 'unavailable') {
      await runner.close();
      throw new BuildInputError(new SandboxUnavailableError(runner.sandbox.detail).message);
    }
    return runner;
  }

  /** The agent roles and the learning database; either may refuse (a bad agents.json, a corrupted patterns file). */
  private workspaceParts(): WorkspaceParts {
    const registry = AgentRegistry.load(this.workspaceRoot);
    return { registry, learning: new LearningDb(this.workspaceRoot, { note: this.state.note }) };
  }

  private async execute(record: BuildRecord, run: RunInputs, resumed: boolean, notices: Notice[] = []): Promise<BuildResult> {
    const { learning } = run;
    const controller = new AbortController();
    this.controller = controller;
    this.current = record;
    this.bus.continueFrom(lastSeq(record));
    const logging = this.bus.events$.subscribe((e) => record.events.append(e));
    try {
      const changes = new ChangeSet(record, this.workspaceRoot, this.bus);
      const waiting: { started?: (change: ChangeRecord) => () => void } = {};
      this.desk = openReviewDesk(record, changes, this.workspaceRoot, { emit: (e) => this.bus.emit(e), waitStarted: (c) => waiting.started?.(c) ?? (() => {}) });
      run.commands.trackWrites(new CommandWriteTracker(record, changes, this.workspaceRoot, this.bus));
      const recovered = resumed ? changes.recoverAccepted() : [];
      if (recovered.length) this.bus.emit({ type: 'log', level: 'info', message: `Finished applying ${recovered.length} accepted changes: ${recovered.join(', ')}` });
      const state = record.state;
      record.update((s) => {
        s.sandbox = run.commands.sandbox;
      });
      this.bus.emit({ type: 'build.started', buildId: state.id, specPath: state.specPath, requirementIds: state.requirements.map((r) => r.id), resumed });
      if (!resumed && state.judge) this.bus.emit(judgeFrozenEvent(state.judge));
      for (const notice of notices) this.bus.emit({ type: 'log', ...notice });
      const sandbox = run.commands.sandbox;
      this.bus.emit({ type: 'log', level: sandbox.kind === 'on' ? 'info' : 'warn', message: `Sandbox ${sandbox.kind === 'on' ? 'on' : 'OFF'}: ${sandbox.detail}` });
      for (const setting of this.ignoredWorkspaceSettings(run.spec)) {
        this.bus.emit({ type: 'log', level: 'warn', message: `Ignored ${setting}: only you can set this (flags, environment, user settings or ${userConfigFile()}), never a workspace file.` });
      }
      const runStarted = Date.now();
      const ctx = createRunContext({ workspaceRoot: this.workspaceRoot, record, bus: this.bus, changes, run, signal: controller.signal, runStarted, ripgrepPath: this.options.ripgrepPath, mcp: this.options.mcp ? this.mcp.hub() : undefined });
      const agents = ctx.agents;
      this.agents = agents;
      waiting.started = (change) => waitForReview(ctx, change);
      // Started where the finally below is sure to stop it: an interval left running would outlive the build in VS Code.
      const engine = watchEngine(this.state.dir);
      let outcome: BuildOutcome;
      let reason: string;
      let apiRefused: { status?: number } | undefined;
      try {
        ({ outcome, reason, apiRefused } = await runBuild(ctx));
      } finally {
        // Time spent waiting for the user's review is not the build's.
        record.update((s) => {
          s.elapsedMs = (s.elapsedMs ?? 0) + ctx.guard.activeMs();
        });
        agents.dispose();
        this.agents = undefined;
        this.bus.emit(engine.finish());
      }
      const final = record.state;
      if (outcome !== 'paused') {
        learning.recordPerformance({
          buildId: final.id,
          specPath: final.specPath,
          outcome,
          iterations: final.iteration,
          usage: final.usage,
          durationMs: final.elapsedMs ?? 0,
          requirements: final.requirements.map((r) => ({ id: r.id, verdict: r.verdict })),
          ...performanceFigures(final, readJsonLines<MuneroEvent>(path.join(record.dir, 'events.jsonl'), record.note)),
        });
      }

      const unmet = final.requirements.filter((r) => r.verdict !== 'verified').map((r) => r.id);
      this.bus.emit({ type: 'build.finished', buildId: final.id, outcome, summary: reason, unmet });
      if (outcome !== 'paused') {
        this.state.appendHistory(historyEntry(final));
      }
      return { buildId: final.id, outcome, reason, requirements: final.requirements, unmet, usage: final.usage, apiRefused };
    } finally {
      logging.unsubscribe();
      record.close();
      this.controller = undefined;
      this.current = undefined;
      this.desk = undefined;
    }
  }

  /** The hunks awaiting the user's decision in the current build (running or not), as they are now. */
  reviewSnapshot(): ReviewSnapshot {
    if (this.desk) return this.desk.snapshot();
    const buildId = this.state.currentBuildId();
    if (!buildId) return { mode: this.reviewMode(), files: [], pendingCount: 0 };
    const record = this.state.openBuild(buildId);
    try {
      return openReviewDesk(record, new ChangeSet(record, this.workspaceRoot, this.bus), this.workspaceRoot, { emit: () => {} }).snapshot();
    } finally {
      record.close();
    }
  }

  /**
   * Decides pending hunks. `review` mode: keep, or undo on disk at once (running or not).
   * `approve` mode: the accepted hunks land once every hunk of the change is decided; for a build
   * that is not running, decisions are stored and carried out when it resumes (the agent's call is
   * answered then). Returns the hunk ids decided and those found stale (left untouched).
   */
  async decideReview(target: ReviewTarget, decision: ReviewDecision): Promise<{ decided: string[]; stale: string[] }> {
    if (this.desk) return this.desk.decide(target, decision);
    const buildId = this.state.currentBuildId();
    if (!buildId) throw new BuildInputError(`There is no build in ${this.workspaceRoot}. Start one with \`munero build <spec>\`.`);
    const holder = this.state.lock.liveHolder();
    if (holder) throw new BuildInputError(`Build ${holder.buildId} is running in another process (pid ${holder.pid}); decide its changes there.`);
    const record = this.state.openBuild(buildId);
    try {
      this.bus.continueFrom(lastSeq(record));
      const emit = (e: MuneroEventBody) => record.events.append(this.bus.emit(e));
      return openReviewDesk(record, new ChangeSet(record, this.workspaceRoot, this.bus), this.workspaceRoot, { emit }).decide(target, decision);
    } finally {
      record.close();
    }
  }

  private reviewMode(): ReviewMode {
    const mode = this.options.reviewMode;
    return (typeof mode === 'function' ? mode() : mode) ?? 'auto';
  }
}

interface Notice {
  level: 'info' | 'warn';
  message: string;
}

interface WorkspaceParts {
  registry: AgentRegistry;
  learning: LearningDb;
}

/** The key, and a base URL that can be reached as written: both checked before a build record exists. */
function recoveredNotResumable(record: BuildRecord): string {
  const file = path.join(record.dir, 'build.json');
  return `Build ${record.state.id} cannot be resumed: its state document ${file} was rebuilt from its logs after it was damaged, and the checks frozen at its start could not be rebuilt, so its verdicts could not be trusted. Its checkpoints are intact: \`munero rollback\` restores the files, then start a new build with \`munero build ${record.state.specPath || '<spec>'}\`.`;
}

function requireKey(env: EngineEnv): string {
  if (!env.apiKey) throw new MissingApiKeyError();
  checkBaseURL(env);
  return env.apiKey;
}

function lastSeq(record: BuildRecord): number {
  const events = readJsonLines<MuneroEvent>(path.join(record.dir, 'events.jsonl'), record.note);
  return events.length ? events[events.length - 1].seq : 0;
}

/** The proposing agent waits for review: shown as its state, and not counted by the budgets. */
function waitForReview(ctx: RunContext, change: ChangeRecord): () => void {
  const role = ctx.agents.list().find((a) => a.id === change.agentId)?.role ?? 'coder';
  const state = (step: 'waiting' | 'acting', detail: string) => ctx.bus.emit({ type: 'agent.state', agentId: change.agentId, role, taskId: change.taskId, step, detail });
  state('waiting', 'for review');
  const resume = ctx.guard.waitStarted(change.taskId);
  return () => {
    resume();
    state('acting', 'review decided');
  };
}
