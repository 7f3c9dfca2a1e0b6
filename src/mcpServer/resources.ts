import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { BuildSession } from './buildSession';

export const STATE_URI = 'munero://build/current/state';
export const EVENTS_URI = 'munero://build/current/events';
/** The event log resource carries the last this-many events, so a long build's log stays readable. */
export const EVENTS_LIMIT = 200;

export function registerBuildResources(server: McpServer, session: BuildSession): void {
  server.registerResource(
    'current-build-state',
    STATE_URI,
    { title: 'Current build state', description: "The current build's state document (.munero/builds/<id>/build.json): plan, tasks, requirement verdicts, usage.", mimeType: 'application/json' },
    (uri) => ({ contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(session.manager.status() ?? null, null, 2) }] }),
  );
  server.registerResource(
    'current-build-events',
    EVENTS_URI,
    { title: 'Current build events', description: `The current build's event log, its last ${EVENTS_LIMIT} events as JSON Lines.`, mimeType: 'application/x-ndjson' },
    (uri) => {
      const { total, events } = session.status().buildId ? session.recentEvents(EVENTS_LIMIT) : { total: 0, events: [] };
      const header = total > events.length ? [JSON.stringify({ omitted: total - events.length, total })] : [];
      return { contents: [{ uri: uri.href, mimeType: 'application/x-ndjson', text: [...header, ...events.map((e) => JSON.stringify(e))].join('\n') }] };
    },
  );
}
