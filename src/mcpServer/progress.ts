import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { describeEvent, type MuneroEvent } from '../core';
import type { BuildSession } from './buildSession';

export type ProgressSink = (progress: number, total: number | undefined, message: string) => Promise<void>;

/**
 * Waits up to `ms` for the running build to end, reporting each described event to `sink`; the
 * progress is the count of events so far (the total is unknown while the loop may replan).
 */
export async function waitWithProgress(session: BuildSession, ms: number, sink: ProgressSink | undefined): Promise<void> {
  let count = 0;
  // Sent before the response, never after it: a progress notification for a finished request is an error to the client.
  const sent: Promise<void>[] = [];
  const subscription = sink
    ? session.manager.bus.events$.subscribe((e) => {
        const line = describeEvent(e);
        if (line) sent.push(sink(++count, undefined, line).catch(() => {}));
      })
    : undefined;
  try {
    await session.settled(ms);
  } finally {
    subscription?.unsubscribe();
    await Promise.all(sent);
  }
}

const LEVEL: Record<'info' | 'warn' | 'error', 'info' | 'warning' | 'error'> = { info: 'info', warn: 'warning', error: 'error' };

/** Every described build event as an MCP logging notification (logger "munero"), for clients that follow the log. */
export function forwardEventsAsLogs(server: McpServer, session: BuildSession): () => void {
  const subscription = session.manager.bus.events$.subscribe((e: MuneroEvent) => {
    const line = describeEvent(e);
    if (!line || !server.isConnected()) return;
    const level = e.type === 'log' ? LEVEL[e.level] : e.type === 'build.finished' ? 'notice' : 'info';
    void server.server.sendLoggingMessage({ level, logger: 'munero', data: line }).catch(() => {});
  });
  return () => subscription.unsubscribe();
}
