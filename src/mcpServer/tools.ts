import path from 'node:path';
import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { buildReport, checkSpec, type BuildFlags } from '../core';
import type { BuildSession } from './buildSession';
import { listSpecs } from './specFiles';
import { waitWithProgress, type ProgressSink } from './progress';

const json = (value: unknown): CallToolResult => ({ content: [{ type: 'text', text: JSON.stringify(value, null, 2) }] });
const failure = (message: string): CallToolResult => ({ content: [{ type: 'text', text: message }], isError: true });

/** Runs a tool body, turning a thrown refusal (bad spec, no key, a lock held) into an error result that names it. */
async function guarded(body: () => CallToolResult | Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await body();
  } catch (err) {
    return failure(err instanceof Error ? err.message : String(err));
  }
}

const limits = {
  maxIterations: z.number().int().positive().optional().describe('stop after this many iterations (default: the spec, .munero/config.json, or 5)'),
  maxCostUsd: z.number().positive().optional().describe('stop before a request that could take spending past this many dollars'),
  maxTokens: z.number().int().positive().optional().describe('stop before a request that could take tokens used past this'),
  maxMinutes: z.number().positive().optional().describe('stop after this many minutes of work'),
  parallel: z.number().int().positive().optional().describe('run up to this many ready tasks at once (default 3)'),
  allowTestChanges: z.boolean().optional().describe('approve deleted or weakened tests and changes to the test configuration'),
};

const noBuild = 'There is no build in this workspace yet; start one with start_build.';

export function registerBuildTools(server: McpServer, session: BuildSession): void {
  const root = session.manager.workspaceRoot;
  const inWorkspace = (p: string) => {
    const abs = path.resolve(root, p);
    const rel = path.relative(root, abs);
    if (rel.startsWith('..') || path.isAbsolute(rel)) throw new Error(`"${p}" is outside the workspace ${root}.`);
    return abs;
  };

  server.registerTool(
    'list_specs',
    {
      title: 'List specs',
      description: 'The spec files (*.spec.md, SPEC.md, specs/**/*.md) and spec folders (holding requirements.md or spec.md) in the workspace, as paths relative to it.',
      annotations: { readOnlyHint: true },
    },
    () => guarded(() => json({ workspace: root, specs: listSpecs(root) })),
  );

  server.registerTool(
    'check_spec',
    {
      title: 'Check a spec',
      description: 'What Munero reads from a spec file or folder (requirements with ids, line ranges, criteria; tasks; open questions) and what is wrong with it, like `munero spec check --json`. No model call.',
      inputSchema: { spec: z.string().describe('spec file or folder, relative to the workspace') },
      annotations: { readOnlyHint: true },
    },
    ({ spec }) => guarded(async () => json(await checkSpec(inWorkspace(spec)))),
  );

  server.registerTool(
    'start_build',
    {
      title: 'Start a build',
      description:
        'Starts building a spec in the background and returns the build id at once. Changes apply directly (review mode auto); commands run in the OS sandbox unless the user turned it off. Follow it with build_status (wait_seconds streams progress), list_requirements and get_report.',
      inputSchema: {
        spec: z.string().describe('spec file or folder, relative to the workspace'),
        only: z.array(z.string()).optional().describe('build only these requirement ids and the tasks they need, e.g. ["R2","R5"]'),
        allowUnclear: z.boolean().optional().describe('start although the spec has unresolved [NEEDS CLARIFICATION] markers'),
        model: z.string().optional().describe('Claude model'),
        ...limits,
      },
    },
    ({ spec, ...options }) =>
      guarded(async () => {
        const buildId = await session.start(spec, options as BuildFlags);
        return json({ buildId, status: 'running', next: 'call build_status (with wait_seconds to wait and get progress notifications)' });
      }),
  );

  server.registerTool(
    'resume_build',
    {
      title: 'Resume the build',
      description: 'Continues the paused, cancelled or interrupted build from its last completed step, in the background; returns its id at once. Limits given here raise the build\'s own.',
      inputSchema: limits,
    },
    (options) =>
      guarded(async () => {
        const buildId = await session.resume(options as BuildFlags);
        return json({ buildId, status: 'running' });
      }),
  );

  server.registerTool(
    'build_status',
    {
      title: 'Build status',
      description:
        'The current build: status (running, verified, unmet, paused, cancelled, …), iteration, requirement verdicts, usage and cost. With wait_seconds, first waits up to that long for a running build to end, sending progress notifications to a request that carries a progressToken.',
      inputSchema: { wait_seconds: z.number().min(0).max(600).optional().describe('wait up to this long for the running build to end (0-600)') },
      annotations: { readOnlyHint: true },
    },
    ({ wait_seconds }, extra) =>
      guarded(async () => {
        if (wait_seconds && session.isRunning) {
          const token = extra._meta?.progressToken;
          const sink: ProgressSink | undefined =
            token === undefined ? undefined : (progress, total, message) => extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress, total, message } });
          await waitWithProgress(session, wait_seconds * 1000, sink);
        }
        return json(session.status());
      }),
  );

  server.registerTool(
    'list_requirements',
    {
      title: 'List requirements',
      description: "The current build's requirements with their verdicts (verified, unverified, failed) and why. Given a spec instead, that spec's requirements, with the current build's verdicts where it built the same spec.",
      inputSchema: { spec: z.string().optional().describe('a spec file or folder, relative to the workspace (default: the current build\'s)') },
      annotations: { readOnlyHint: true },
    },
    ({ spec }) =>
      guarded(async () => {
        const state = session.manager.status();
        if (!spec) return state ? json({ buildId: state.id, spec: state.specPath, requirements: state.requirements }) : failure(noBuild);
        const check = await checkSpec(inWorkspace(spec));
        if (!check.readable) return failure(check.errors.map((e) => e.message).join('\n'));
        const sameSpec = state && path.resolve(root, state.specPath) === path.resolve(root, spec);
        const verdicts = new Map((sameSpec ? state.requirements : []).map((r) => [r.id, r]));
        return json({
          buildId: sameSpec ? state.id : undefined,
          spec,
          requirements: check.requirements.map((r) => ({ id: r.id, title: r.title, verdict: verdicts.get(r.id)?.verdict ?? 'unverified', reason: verdicts.get(r.id)?.reason, verifiedBy: verdicts.get(r.id)?.verifiedBy })),
        });
      }),
  );

  server.registerTool(
    'get_report',
    {
      title: 'Build report',
      description: "The current build's report as markdown: outcome, requirements with verdicts, tasks, plan versions, usage and cost.",
      annotations: { readOnlyHint: true },
    },
    () =>
      guarded(() => {
        const state = session.manager.status();
        return state ? { content: [{ type: 'text', text: buildReport(state, session.manager.breakdown()) }] } : failure(noBuild);
      }),
  );

  server.registerTool(
    'cancel_build',
    {
      title: 'Cancel the build',
      description: 'Stops the build running in this server at its next safe point. mode "cancel" (default) ends it as cancelled; "pause" leaves it paused. Either can be continued with resume_build.',
      inputSchema: { mode: z.enum(['cancel', 'pause']).optional() },
    },
    ({ mode }) =>
      guarded(async () => {
        if (!session.cancel(mode ?? 'cancel')) return failure('No build is running in this server.');
        await session.settled(30_000);
        return json(session.status());
      }),
  );
}
