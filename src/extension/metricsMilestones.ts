import type { MuneroEvent } from '../core';

/** Events after which the breakdown has moved enough to be worth recomputing. */
const BREAKDOWN_MILESTONES = new Set<MuneroEvent['type']>(['build.started', 'task.finished', 'validation.finished', 'build.finished']);

/**
 * What an event makes worth recomputing: the breakdown after a milestone, the trends after a
 * build finished (its performance line is written by then). Nothing for the many events between
 * (streamed text, usage, tool calls), since a breakdown re-reads the build's whole event log.
 */
export function metricsDueAfter(type: MuneroEvent['type']): { breakdown: boolean; trends: boolean } | undefined {
  if (!BREAKDOWN_MILESTONES.has(type)) return undefined;
  return { breakdown: true, trends: type === 'build.finished' };
}

/** The breakdown is derived again once the model turns since the last one reach this share of the turns it covered. */
const GROWTH = 0.1;

/**
 * Spaces the breakdown's recomputations over a long build. Each one re-reads the build's whole
 * event log, so one per milestone costs the square of the build's length (a 200-task build has
 * some 400 milestones over a log of 5,000 turns); waiting at a milestone until the turns since the
 * last breakdown reach a tenth of those it covered keeps the total reading linear, while a short
 * build still updates at every milestone. A build's start and end always count.
 */
export class BreakdownPacing {
  private turnsSince = 0;
  private turnsCovered = 0;

  /** Whether `e` makes the breakdown worth deriving now. */
  dueAfter(e: MuneroEvent): boolean {
    if (e.type === 'usage') this.turnsSince++;
    if (!metricsDueAfter(e.type)?.breakdown) return false;
    return e.type === 'build.started' || e.type === 'build.finished' || this.turnsSince >= this.turnsCovered * GROWTH;
  }

  /** After a breakdown was derived: the model turns it covered. */
  derived(turnsCovered: number): void {
    this.turnsCovered = turnsCovered;
    this.turnsSince = 0;
  }
}
