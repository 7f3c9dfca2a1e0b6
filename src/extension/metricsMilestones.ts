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
