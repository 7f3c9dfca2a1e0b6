import * as vscode from 'vscode';
import type { Observable } from 'rxjs';
import type { Bottleneck, BuildBreakdown, BuildTrends, MuneroEvent } from '../core';
import { BreakdownPacing, metricsDueAfter } from './metricsMilestones';

/** Milestones closer together than this (tasks finishing together) cost one recomputation. */
const SETTLE_MS = 250;

export interface MetricsEngine {
  bus: { events$: Observable<MuneroEvent> };
  breakdown(): BuildBreakdown | undefined;
  trends(): BuildTrends;
}

/**
 * The current build's breakdown and the workspace's trends, shared by the tree and the Progress
 * panel. The engine derives a breakdown by reading the build's whole event log, so it is
 * recomputed only when read after a milestone, at most once per milestone burst, and in a long
 * build only once the log has grown by a share of what the last breakdown covered.
 */
export class BuildMetrics implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly subscription: { unsubscribe(): void };
  private timer: NodeJS.Timeout | undefined;
  private due = { breakdown: false, trends: false };
  private stale = { breakdown: true, trends: true };
  private cachedBreakdown: BuildBreakdown | undefined;
  private cachedTrends: BuildTrends = { builds: [] };
  private recheckedFor: string | undefined;
  private derived = 0;
  private readonly pacing = new BreakdownPacing();

  /** Fired (after a milestone burst settles) when the breakdown or trends may have changed. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly engine: MetricsEngine) {
    this.subscription = engine.bus.events$.subscribe((e) => this.onEvent(e));
  }

  /** How many times the breakdown was derived from the log (tests check updates stay cheap). */
  get computations(): number {
    return this.derived;
  }

  /** The current (or last) build's breakdown; undefined without a build or when its log cannot be read. */
  breakdown(): BuildBreakdown | undefined {
    if (this.stale.breakdown) {
      this.stale.breakdown = false;
      this.derived++;
      try {
        this.cachedBreakdown = this.engine.breakdown();
      } catch {
        // An unreadable build is reported by the tree's own error row.
        this.cachedBreakdown = undefined;
      }
      this.pacing.derived(this.cachedBreakdown?.model.requests ?? 0);
    }
    return this.cachedBreakdown;
  }

  /**
   * Build `buildId`'s costliest bottleneck. A cached breakdown of another build (one a terminal
   * started became current, without events here) is recomputed once for that build.
   */
  topBottleneck(buildId: string): Bottleneck | undefined {
    let b = this.breakdown();
    if (b?.buildId !== buildId && this.recheckedFor !== buildId) {
      this.recheckedFor = buildId;
      this.stale.breakdown = true;
      b = this.breakdown();
    }
    return b?.buildId === buildId ? b.bottlenecks[0] : undefined;
  }

  trends(): BuildTrends {
    if (this.stale.trends) {
      this.stale.trends = false;
      try {
        this.cachedTrends = this.engine.trends();
      } catch {
        this.cachedTrends = { builds: [] };
      }
    }
    return this.cachedTrends;
  }

  dispose(): void {
    this.subscription.unsubscribe();
    if (this.timer) clearTimeout(this.timer);
    this.changed.dispose();
  }

  private onEvent(e: MuneroEvent): void {
    const breakdown = this.pacing.dueAfter(e);
    const trends = metricsDueAfter(e.type)?.trends ?? false;
    if (!breakdown && !trends) return;
    this.due = { breakdown: this.due.breakdown || breakdown, trends: this.due.trends || trends };
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.stale = { breakdown: this.stale.breakdown || this.due.breakdown, trends: this.stale.trends || this.due.trends };
      this.due = { breakdown: false, trends: false };
      this.changed.fire();
    }, SETTLE_MS);
  }
}
