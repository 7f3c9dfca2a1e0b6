import * as vscode from 'vscode';
import { describeLockHolder, type BuildManager, type WatchEnd } from '../core';
import type { LiveBuild } from './liveBuild';
import { announceResult } from './notifications';
import { progressLine } from './progressLine';

/**
 * Shows a build that another process runs in this workspace (a terminal's `munero build`, another
 * window) as if it ran here: the core relays its event log onto this window's bus, so the tree,
 * status bar, progress panel and log follow it; when it ends, its result is announced as ours is.
 */
export class BuildWatcher implements vscode.Disposable {
  private watching: Promise<WatchEnd | undefined> | undefined;
  private stop: AbortController | undefined;

  constructor(
    private readonly manager: BuildManager,
    private readonly live: LiveBuild,
    private readonly log: vscode.LogOutputChannel,
    private readonly onChange: () => void,
  ) {}

  get isWatching(): boolean {
    return this.watching !== undefined;
  }

  /** Resolves when the watch (if any) has ended; for tests. */
  whenDone(): Promise<WatchEnd | undefined> {
    return this.watching ?? Promise.resolve(undefined);
  }

  watch(): Promise<WatchEnd | undefined> {
    if (this.watching) {
      void vscode.commands.executeCommand('munero.showProgress');
      return this.watching;
    }
    const holder = this.manager.lockHolder();
    if (!holder) {
      void vscode.window.showInformationMessage('Munero: no build is running in this workspace now.');
      this.live.invalidate();
      return Promise.resolve(undefined);
    }
    const stop = new AbortController();
    this.stop = stop;
    const who = describeLockHolder(holder);
    this.log.info(`Watching ${who}`);
    void vscode.commands.executeCommand('workbench.view.extension.munero');
    this.live.invalidate();
    // The notification's Cancel stops the watch; the build goes on where it runs.
    const title = `Munero: watching build ${holder.buildId} (${holder.program ?? 'another process'}, pid ${holder.pid}; Cancel stops watching only)`;
    const watching = vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
      token.onCancellationRequested(() => stop.abort());
      const tick = this.manager.bus.events$.subscribe((e) => {
        const line = progressLine(e);
        if (line) progress.report({ message: line });
      });
      try {
        return await this.manager.watch({ signal: stop.signal });
      } catch (err) {
        this.log.error(`Watching build ${holder.buildId} stopped: ${(err as Error).message}`);
        void vscode.window.showErrorMessage(`Munero: could not follow build ${holder.buildId}: ${(err as Error).message}`);
        return undefined;
      } finally {
        tick.unsubscribe();
      }
    });
    this.watching = Promise.resolve(watching).then(
      (end) => this.ended(end),
      () => undefined,
    );
    this.onChange();
    return this.watching;
  }

  dispose(): void {
    this.stop?.abort();
  }

  private ended(end: WatchEnd | undefined): WatchEnd | undefined {
    this.watching = undefined;
    this.stop = undefined;
    // A holder that died logged no end: nothing runs any more, whatever the last event said
    // (unless this window started its own build the moment the lock was free).
    if (!this.manager.running) this.live.running = false;
    this.live.invalidate();
    this.onChange();
    // Damaged log lines the watch skipped, each naming its file and line.
    for (const note of this.manager.stateNotes()) this.log.warn(note);
    if (end?.kind === 'finished') {
      const state = this.manager.status();
      if (state?.id === end.buildId) {
        void announceResult({ buildId: end.buildId, outcome: end.outcome, reason: end.summary, requirements: state.requirements, unmet: end.unmet, usage: state.usage }, this.log);
      }
    } else if (end?.kind === 'gone') {
      const message = `Munero: the process running build ${end.buildId} (${end.holder.program ?? 'another process'}, pid ${end.holder.pid}) ended without finishing it.`;
      this.log.warn(message);
      void vscode.window.showWarningMessage(message, 'Resume', 'Show Report').then((choice) => {
        if (choice === 'Resume') void vscode.commands.executeCommand('munero.resumeBuild');
        if (choice === 'Show Report') void vscode.commands.executeCommand('munero.showReport');
      });
    } else if (end?.kind === 'stopped') {
      this.log.info(`Stopped watching build ${end.buildId}; it goes on in pid ${end.holder.pid}.`);
    }
    return end;
  }
}
