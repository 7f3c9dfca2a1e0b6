import path from 'node:path';
import * as vscode from 'vscode';
import {
  BuildManager,
  buildReport,
  describeEvent,
  plural,
  START_CHECKPOINT,
  STATE_DIR,
  describeLockHolder,
  type BuildResult,
  type MuneroEvent,
  type WatchEnd,
} from '../core';
import { MuneroDiagnostics } from './diagnostics';
import { announceResult, offerWatch, showBuildError } from './notifications';
import { LiveBuild } from './liveBuild';
import { BuildWatcher } from './buildWatcher';
import { progressLine } from './progressLine';
import { offerTestChangeApproval } from './testChangeNotice';
import { ApiKeyStore, KEYS_PAGE } from './secrets';
import { bundledRipgrep } from './ripgrep';
import type { McpSettings } from '../core';
import { buildFlags, configOverrides, reviewMode, userSettings, workspaceTriedUserOnly } from './settings';

export const RESTRICTED_MODE_MESSAGE =
  'Munero does not run builds in Restricted Mode: a build runs commands and changes files. Trust this workspace to build.';

/**
 * One workspace folder's builds, as VS Code presents them: progress notifications, the log,
 * diagnostics, and clear answers for every way a build can fail to start or stop early.
 * The core decides; this translates.
 */
export class BuildController implements vscode.Disposable {
  readonly manager: BuildManager;
  readonly live: LiveBuild;
  /** Follows a build another process runs here (a terminal, another window). */
  readonly watcher: BuildWatcher;
  readonly diagnostics: MuneroDiagnostics;
  private apiKey: string | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private running: Promise<BuildResult | undefined> | undefined;
  private readonly verdictsChanged = new vscode.EventEmitter<void>();
  /** A build's requirement verdicts may have changed (an iteration or build ended, a rollback). */
  readonly onDidChangeVerdicts = this.verdictsChanged.event;

  constructor(
    readonly folder: vscode.WorkspaceFolder,
    private readonly keys: ApiKeyStore,
    private readonly log: vscode.LogOutputChannel,
    mcp?: () => McpSettings,
  ) {
    this.manager = new BuildManager({
      workspaceRoot: folder.uri.fsPath,
      env: () => userSettings(this.apiKey),
      configOverrides,
      ripgrepPath: bundledRipgrep(),
      reviewMode,
      mcp,
      program: `a ${vscode.env.appName} window`,
    });
    this.live = new LiveBuild(this.manager);
    this.watcher = new BuildWatcher(this.manager, this.live, log, () => this.updateContext());
    this.diagnostics = new MuneroDiagnostics(this.manager.workspaceRoot);
    const subscription = this.manager.bus.events$.subscribe((e) => this.onEvent(e));
    this.disposables.push(this.watcher, this.live, this.diagnostics, this.verdictsChanged, { dispose: () => subscription.unsubscribe() });
    this.live.onDidChange(() => this.updateContext(), undefined, this.disposables);
    // Another process starting or ending a build here (a terminal, another window) shows at once.
    const others = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, `${STATE_DIR}/{lock,current.json}`));
    const relook = () => !this.running && this.live.invalidate();
    this.disposables.push(others, others.onDidCreate(relook), others.onDidChange(relook), others.onDidDelete(relook));
    this.updateContext();
  }

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  /** Resolves when the running build (if any) has ended; for tests and for shutdown. */
  whenIdle(): Promise<BuildResult | undefined> {
    return this.running ?? Promise.resolve(undefined);
  }

  /** Builds the spec; with `only`, just those requirements and the tasks they need (`--only`). */
  async build(spec: vscode.Uri, only?: string[]): Promise<BuildResult | undefined> {
    if (!(await this.mayRun())) return undefined;
    const rel = path.relative(this.manager.workspaceRoot, spec.fsPath);
    if (rel.startsWith('..')) {
      void vscode.window.showErrorMessage(`Munero: ${spec.fsPath} is outside the workspace folder ${this.folder.name}.`);
      return undefined;
    }
    const state = this.live.state;
    if (state && (state.status === 'paused' || state.status === 'cancelled' || state.status === 'running')) {
      const choice = await vscode.window.showWarningMessage(
        `Munero: build ${state.id} did not finish (${state.status}). Resume it, or start a new build of ${path.basename(spec.fsPath)}?`,
        'Resume',
        'Start New',
      );
      if (choice === 'Resume') return this.resume();
      if (choice !== 'Start New') return undefined;
    }
    this.diagnostics.clear();
    return this.run(`Building ${path.basename(spec.fsPath)}`, () => this.manager.start(rel, only?.length ? { ...buildFlags(), only } : buildFlags()), spec);
  }

  async resume(): Promise<BuildResult | undefined> {
    if (!(await this.mayRun())) return undefined;
    return this.run('Resuming the Munero build', () => this.manager.resume(buildFlags()));
  }

  /** Follows the build another process holds the workspace lock for, until it ends. */
  watch(): Promise<WatchEnd | undefined> {
    if (this.running) {
      this.sayAlreadyRunning();
      return Promise.resolve(undefined);
    }
    return this.watcher.watch();
  }

  cancel(): void {
    if (!this.running) {
      void vscode.window.showInformationMessage('Munero: no build is running.');
      return;
    }
    this.manager.cancel('cancel');
  }

  /**
   * Rolls back to a checkpoint the user picks and confirms. Called with `{checkpoint}` (from a
   * keybinding, a task or a test) it skips the pick; `confirm: false` skips the question too.
   */
  async rollback(options: { checkpoint?: string; confirm?: boolean } = {}): Promise<void> {
    if (this.running) {
      void vscode.window.showWarningMessage('Munero: cancel the running build before rolling back.');
      return;
    }
    const state = this.live.state;
    if (!state) {
      void vscode.window.showInformationMessage('Munero: there is no build to roll back.');
      return;
    }
    const picks = [
      { label: START_CHECKPOINT, description: 'before the build changed anything' },
      ...state.checkpoints.map((c) => ({ label: c, description: c.startsWith('before-rollback-') ? 'undo a rollback: the files as they were before it' : `after ${c.replace('iter-', 'iteration ')}` })),
    ];
    const pick = options.checkpoint
      ? { label: options.checkpoint }
      : await vscode.window.showQuickPick(picks, { title: `Roll back build ${state.id} to…`, placeHolder: 'Files the build touched are restored byte for byte' });
    if (!pick) return;
    if (options.confirm !== false) {
      const confirm = await vscode.window.showWarningMessage(
        `Restore the files build ${state.id} touched to checkpoint "${pick.label}"? Files you edited since Munero wrote them are kept and listed; the rollback can be undone.`,
        { modal: true },
        'Roll Back',
      );
      if (confirm !== 'Roll Back') return;
    }
    try {
      const result = this.manager.rollback(pick.label);
      this.diagnostics.clear();
      this.live.invalidate();
      this.verdictsChanged.fire();
      this.log.info(`Rolled back ${plural(result.restored.length, 'file')} to ${result.checkpoint}: ${result.restored.join(', ')}`);
      for (const kept of result.kept) this.log.warn(`Kept ${kept.path}: ${kept.reason}`);
      const kept = result.kept.length ? ` Kept ${result.kept.length} (${result.kept.map((k) => k.path).join(', ')}): changed since Munero wrote them; see the log.` : '';
      const undo = result.undoCheckpoint ? ` Undo: roll back to "${result.undoCheckpoint}".` : '';
      void vscode.window.showInformationMessage(`Munero: restored ${plural(result.restored.length, 'file')} to checkpoint "${pick.label}".${kept}${undo}`);
    } catch (err) {
      showBuildError(err, this.log, this.diagnostics);
    }
  }

  async showReport(): Promise<void> {
    const state = this.live.state;
    if (!state) {
      void vscode.window.showInformationMessage('Munero: there is no build report yet.');
      return;
    }
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: buildReport(state, this.manager.breakdown()) });
    await vscode.window.showTextDocument(doc, { preview: true });
  }

  async openStateFolder(): Promise<void> {
    const dir = vscode.Uri.joinPath(this.folder.uri, STATE_DIR);
    const state = this.live.state;
    const target = state ? vscode.Uri.joinPath(dir, 'builds', state.id, 'build.json') : dir;
    try {
      await vscode.workspace.fs.stat(target);
    } catch {
      void vscode.window.showInformationMessage(`Munero: ${dir.fsPath} does not exist yet; it is made by the first build.`);
      return;
    }
    await vscode.commands.executeCommand('revealInExplorer', target);
    if (state) await vscode.window.showTextDocument(target, { preview: true });
  }

  dispose(): void {
    this.manager.cancel('interrupt');
    for (const d of this.disposables) d.dispose();
  }

  /**
   * Trust, a running build, and the API key: the three reasons not to start. A refusal is a
   * notification whose actions are handled when chosen; the command itself returns at once.
   */
  private async mayRun(): Promise<boolean> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window
        .showErrorMessage(RESTRICTED_MODE_MESSAGE, 'Manage Workspace Trust')
        .then((choice) => choice && vscode.commands.executeCommand('workbench.trust.manage'));
      this.log.warn(RESTRICTED_MODE_MESSAGE);
      return false;
    }
    const ignored = workspaceTriedUserOnly();
    if (ignored.length) {
      const message = `Munero ignores ${ignored.join(', ')} in this workspace's settings: only your user settings may route the API key or widen what commands may do.`;
      this.log.warn(message);
      void vscode.window.showWarningMessage(message);
    }
    if (this.running) {
      this.sayAlreadyRunning();
      return false;
    }
    const holder = this.manager.lockHolder();
    if (holder) {
      offerWatch(`${describeLockHolder(holder)} is running in this workspace; one build at a time.`);
      return false;
    }
    this.apiKey = await this.keys.get();
    if (!this.apiKey) this.apiKey = await this.keys.prompt('Munero needs an Anthropic API key to build.');
    if (!this.apiKey) {
      void vscode.window.showErrorMessage(`Munero: no Anthropic API key, so no build. Make one at ${KEYS_PAGE}.`, 'Set API Key', 'Open Keys Page').then((choice) => {
        if (choice === 'Set API Key') void vscode.commands.executeCommand('munero.setApiKey');
        if (choice === 'Open Keys Page') void vscode.env.openExternal(vscode.Uri.parse(KEYS_PAGE));
      });
      return false;
    }
    return true;
  }

  /** A second build from this window: one runs; say which, and offer to show it. */
  private sayAlreadyRunning(): void {
    const holder = this.manager.lockHolder();
    const which = holder ? describeLockHolder({ ...holder, program: 'this window' }) : 'a build';
    void vscode.window.showWarningMessage(`Munero: ${which} is already running; one build at a time per workspace.`, 'Show Progress', 'Cancel Build').then((choice) => {
      if (choice === 'Show Progress') void vscode.commands.executeCommand('munero.showProgress');
      if (choice === 'Cancel Build') this.cancel();
    });
  }

  private run(title: string, start: () => Promise<BuildResult>, spec?: vscode.Uri): Promise<BuildResult | undefined> {
    // Two clicks can both get past mayRun() while it awaits the key; only the first starts.
    if (this.running) {
      this.sayAlreadyRunning();
      return Promise.resolve(undefined);
    }
    // The user asked for a build: show them its agents in the Munero sidebar.
    void vscode.commands.executeCommand('workbench.view.extension.munero');
    const running = vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Munero: ${title}`, cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => this.manager.cancel('cancel'));
        const tick = this.manager.bus.events$.subscribe((e) => {
          const line = progressLine(e);
          if (line) progress.report({ message: line });
        });
        try {
          const result = await start();
          void announceResult(result, this.log);
          return result;
        } catch (err) {
          showBuildError(err, this.log, this.diagnostics, spec);
          return undefined;
        } finally {
          tick.unsubscribe();
        }
      },
    );
    this.running = Promise.resolve(running).finally(() => {
      this.running = undefined;
      this.live.invalidate();
      this.updateContext();
    });
    this.updateContext();
    return this.running;
  }

  private onEvent(e: MuneroEvent): void {
    const line = describeEvent(e);
    if (line) {
      if (e.type === 'log' && e.level === 'error') this.log.error(line);
      else if ((e.type === 'log' && e.level === 'warn') || e.type === 'retry' || e.type === 'test.flagged') this.log.warn(line);
      else this.log.info(line);
    }
    if (e.type === 'validation.finished') this.diagnostics.showChecks(e.checks);
    // A watched build's test changes are approved where it runs (the core refuses them here).
    if (e.type === 'test.flagged' && !this.watcher.isWatching) void offerTestChangeApproval(this.manager, e, this.log);
    if (e.type === 'iteration.finished' || e.type === 'build.finished') this.verdictsChanged.fire();
  }

  private updateContext(): void {
    const state = this.live.state;
    const running = this.isRunning;
    void vscode.commands.executeCommand('setContext', 'munero.running', running);
    void vscode.commands.executeCommand('setContext', 'munero.hasBuild', Boolean(state));
    // A watched build runs elsewhere: nothing to resume until it ends.
    const busy = running || this.watcher.isWatching;
    void vscode.commands.executeCommand('setContext', 'munero.resumable', Boolean(state && !busy && ['paused', 'cancelled', 'running'].includes(state.status)));
  }
}

