import * as vscode from 'vscode';
import type { Observable, Subscription } from 'rxjs';
import type { BuildBreakdown, BuildTrends, MuneroEvent } from '../../core';
import { PANEL_LIMITS, type BuildView, type FromPanel, type PanelCommand, type ToPanel } from '../protocol';
import { breakdownView, trendsView } from './metricsViews';
import { PanelModel } from './panelModel';
import { panelHtml } from './panelHtml';

export interface PanelSource {
  events$: Observable<MuneroEvent>;
  /** The current build's view and its persisted events, to rebuild the panel from. */
  replay(): { build: BuildView | null; events: MuneroEvent[] };
  /** The breakdown and trends, recomputed at milestones (see BuildMetrics). */
  metrics: {
    breakdown(): BuildBreakdown | undefined;
    trends(): BuildTrends;
    readonly onDidChange: vscode.Event<void>;
  };
}

const COMMANDS: readonly PanelCommand[] = ['resume', 'cancel', 'showReport', 'openSpec'];

/**
 * Hosts the progress panel (view `munero.progress`). Folds events into a PanelModel all along;
 * while the view is visible and loaded, posts batched patches; a (re)loaded view gets a reset.
 */
export class ProgressViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly viewId = 'munero.progress';

  private readonly panelModel = new PanelModel();
  private subscription: Subscription | undefined;
  private metricsListener: vscode.Disposable | undefined;
  /** What the model was last given, so unchanged figures are not sent again. */
  private shownMetrics: { breakdown?: BuildBreakdown; trends?: BuildTrends } = {};
  private disposed = false;
  private view: vscode.WebviewView | undefined;
  private viewDisposables: vscode.Disposable[] = [];
  /** The loaded webview said `ready`; cleared when it is hidden (its document is discarded). */
  private ready = false;
  private timer: NodeJS.Timeout | undefined;
  private lastFlushAt = 0;
  private posted = 0;
  private lastMessage: ToPanel | undefined;
  /** The last event folded in: a watched build's log is relayed from its start, and what was replayed from disk is not folded twice. */
  private lastSeq = 0;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly source: PanelSource,
    private readonly onCommand: (cmd: PanelCommand) => void,
    private readonly openFile: (path: string, line?: number) => void,
  ) {}

  /** The panel's state; reading it starts following the build, as showing the view does. */
  get model(): PanelModel {
    this.startFolding();
    return this.panelModel;
  }

  /** How many messages were posted to the webview so far. */
  get lastPosted(): number {
    return this.posted;
  }

  /** The last message posted, for tests. */
  get lastPostedMessage(): ToPanel | undefined {
    return this.lastMessage;
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.detachView();
    this.startFolding();
    this.view = view;
    const roots = [vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(this.extensionUri, 'media')];
    view.webview.options = { enableScripts: true, localResourceRoots: roots };
    view.webview.html = panelHtml(view.webview, this.extensionUri);
    this.viewDisposables.push(
      view.webview.onDidReceiveMessage((msg: unknown) => this.onMessage(msg)),
      view.onDidChangeVisibility(() => {
        // Hidden without retained context: the document is gone; it posts `ready` again when shown.
        if (!view.visible) this.ready = false;
      }),
      view.onDidDispose(() => {
        if (this.view === view) this.detachView();
      }),
    );
  }

  reveal(): Thenable<unknown> {
    return vscode.commands.executeCommand(`${ProgressViewProvider.viewId}.focus`);
  }

  dispose(): void {
    this.disposed = true;
    this.detachView();
    this.subscription?.unsubscribe();
    this.subscription = undefined;
    this.metricsListener?.dispose();
  }

  /** Replays the persisted build once, then follows the bus; lazily, so activation stays cheap. */
  private startFolding(): void {
    if (this.subscription || this.disposed) return;
    this.rebuild();
    this.subscription = this.source.events$.subscribe((e) => this.onEvent(e));
    this.metricsListener = this.source.metrics.onDidChange(() => this.showMetrics());
  }

  /** Hands the model the breakdown and trends when they changed; a panel problem never disturbs the build. */
  private showMetrics(): void {
    try {
      const breakdown = this.source.metrics.breakdown();
      const trends = this.source.metrics.trends();
      if (breakdown !== this.shownMetrics.breakdown) this.panelModel.setBreakdown(breakdown ? breakdownView(breakdown) : null);
      if (trends !== this.shownMetrics.trends) this.panelModel.setTrends(trendsView(trends, PANEL_LIMITS.trendBuilds));
      this.shownMetrics = { breakdown, trends };
      this.scheduleFlush();
    } catch {
      // The next milestone tries again.
    }
  }

  private rebuild(): void {
    try {
      const { build, events } = this.source.replay();
      this.panelModel.reset(build ?? undefined);
      for (const e of events) this.panelModel.apply(e);
      this.lastSeq = events.at(-1)?.seq ?? 0;
      this.shownMetrics = {};
      this.showMetrics();
    } catch {
      // An unreadable build (the tree view reports it) leaves the panel empty, not broken.
      this.panelModel.reset();
    }
  }

  /** A bus subscriber must not throw: a panel problem must never disturb the build. */
  private onEvent(e: MuneroEvent): void {
    try {
      if (e.type === 'build.started' && e.buildId !== this.panelModel.buildId) {
        this.adoptBuild(e.buildId);
        this.lastSeq = 0;
      }
      if (e.seq <= this.lastSeq) return;
      this.lastSeq = e.seq;
      this.panelModel.apply(e);
      this.scheduleFlush();
    } catch {
      // The next reset (the panel reloading) shows the state as it stands.
    }
  }

  /** A new build: its state document has the limits (max iterations, budget) its events lack. */
  private adoptBuild(buildId: string): void {
    try {
      const { build } = this.source.replay();
      if (build?.id === buildId) this.panelModel.reset(build);
    } catch {
      // The event alone still starts the build view.
    }
  }

  private onMessage(msg: unknown): void {
    const m = msg as FromPanel;
    if (!m || typeof m !== 'object') return;
    if (m.type === 'ready') {
      this.ready = true;
      this.post(this.panelModel.takeUpdate(true));
    } else if (m.type === 'command' && COMMANDS.includes(m.command)) {
      this.onCommand(m.command);
    } else if (m.type === 'openFile' && typeof m.path === 'string' && m.path) {
      this.openFile(m.path, typeof m.line === 'number' && Number.isFinite(m.line) ? m.line : undefined);
    }
  }

  private scheduleFlush(): void {
    if (this.timer || !this.canPost()) return;
    const wait = Math.max(0, this.lastFlushAt + PANEL_LIMITS.flushMs - Date.now());
    this.timer = setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    this.timer = undefined;
    this.lastFlushAt = Date.now();
    if (!this.canPost()) return;
    const update = this.panelModel.takeUpdate();
    if (update) this.post(update);
  }

  private canPost(): boolean {
    return !!this.view && this.ready && this.view.visible;
  }

  private post(message: ToPanel): void {
    if (!this.view) return;
    this.posted++;
    this.lastMessage = message;
    void this.view.webview.postMessage(message);
  }

  private detachView(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const d of this.viewDisposables) d.dispose();
    this.viewDisposables = [];
    this.view = undefined;
    this.ready = false;
  }
}
