// npm run bench:mcp — MCP client figures: time to first tool list for each bundled server (a cold
// start each time), the added cost of a tool call through MCP over the same direct tool call, and
// the coder's fixed request prefix with and without MCP. Writes its section of docs/benchmarks.md.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CODER_SYSTEM } from '../src/core/agents/prompts';
import { bundledServers } from '../src/core/mcp/bundled';
import type { McpServerConfig } from '../src/core/mcp/config';
import { McpHub } from '../src/core/mcp/hub';
import { MCP_CALL, MCP_TOOLS } from '../src/core/loop/mcpTools';
import { CommandRunner } from '../src/core/tools/commandRunner';
import { CODER_TOOLS } from '../src/core/tools/definitions';
import { executeTool } from '../src/core/tools/executeTool';
import { DEFAULT_TOOL_LIMITS, type ToolContext } from '../src/core/tools/types';
import { writeSection } from './benchmarksPage.mjs';

const STARTS = 5;
const CALLS = 200;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${x.toFixed(x < 10 ? 2 : 0)} ms`;

function hubFor(server: McpServerConfig, ws: string): McpHub {
  return new McpHub({ servers: [server], logDir: path.join(ws, '.munero', 'logs'), trusted: true, isAllowed: () => true });
}

async function firstToolList(server: McpServerConfig, ws: string): Promise<{ ms: number; tools: number }> {
  const times: number[] = [];
  let tools = 0;
  for (let i = 0; i < STARTS; i++) {
    const hub = hubFor(server, ws);
    const t = performance.now();
    const listed = await hub.toolsFor();
    times.push(performance.now() - t);
    if (listed.errors.length) throw new Error(listed.errors.join('\n'));
    tools = listed.tools.length;
    await hub.dispose();
  }
  return { ms: median(times), tools };
}

async function perCall(run: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 10; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const t = performance.now();
    await run();
    times.push(performance.now() - t);
  }
  return median(times);
}

async function main(): Promise<void> {
  const ws = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'munero-bench-mcp-')));
  fs.mkdirSync(path.join(ws, '.munero'));
  fs.writeFileSync(path.join(ws, 'notes.md'), 'hello\n'.repeat(50));
  const dist = path.join(__dirname, '..', 'dist', 'mcp');
  const servers = bundledServers(ws, { dir: fs.existsSync(path.join(dist, 'memory.mjs')) ? dist : undefined });
  const starts: string[] = [];
  for (const s of servers) {
    const r = await firstToolList(s, ws);
    starts.push(`| ${s.name} | ${s.transport === 'in-process' ? 'in-process' : `child (${path.basename(s.args[0]!)})`} | ${r.tools} | ${ms(r.ms)} |`);
  }

  const ctx: ToolContext = {
    workspaceRoot: ws,
    changes: { propose: async () => { throw new Error('read only'); } } as unknown as ToolContext['changes'],
    policy: { allow: [] },
    limits: DEFAULT_TOOL_LIMITS,
    commands: CommandRunner.withoutSandbox({ workspaceRoot: ws }),
  };
  const direct = await perCall(() => executeTool('read_file', { path: 'notes.md' }, ctx));
  const fsHub = hubFor(servers.find((s) => s.name === 'filesystem')!, ws);
  await fsHub.toolsFor();
  const inProcess = await perCall(() => fsHub.call('mcp__filesystem__read_text_file', { path: 'notes.md' }, { toolContext: ctx }));
  await fsHub.dispose();
  const memHub = hubFor(servers.find((s) => s.name === 'memory')!, ws);
  await memHub.toolsFor();
  const stdio = await perCall(() => memHub.call('mcp__memory__read_graph', {}));
  await memHub.dispose();

  const memAndThinking = new McpHub({ servers: servers.filter((s) => s.name !== 'filesystem'), logDir: path.join(ws, '.munero', 'logs'), trusted: true, isAllowed: () => true });
  const { tools: direct2 } = await memAndThinking.toolsFor();
  await memAndThinking.dispose();
  const base = JSON.stringify(CODER_SYSTEM).length + JSON.stringify(CODER_TOOLS).length;
  const onDemand = base + JSON.stringify([MCP_TOOLS, MCP_CALL]).length + 1;
  const allDirect = base + JSON.stringify(direct2).length + 1;
  const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

  const section = [
    '## MCP client (issue 10)',
    '',
    `\`npm run bench:mcp\` on ${os.cpus().length} CPUs, Node ${process.version}. Medians.`,
    '',
    `Time to first tool list (start, initialize, tools/list; ${STARTS} cold starts each):`,
    '',
    '| server | how it runs | tools | first tool list |',
    '| --- | --- | --- | --- |',
    ...starts,
    '',
    `Cost per call (${CALLS} calls each, after 10 warm-up calls):`,
    '',
    '| call | median | added over direct |',
    '| --- | --- | --- |',
    `| \`read_file\` direct (Munero's tool) | ${ms(direct)} | — |`,
    `| \`read_text_file\` via the in-process filesystem server | ${ms(inProcess)} | +${ms(inProcess - direct)} |`,
    `| \`read_graph\` via the memory server (child process, stdio) | ${ms(stdio)} | +${ms(stdio - direct)} (includes the server's own file read) |`,
    '',
    'The coder\'s fixed prefix (system prompt + tool definitions, as JSON characters):',
    '',
    '| offer | prefix |',
    '| --- | --- |',
    `| no MCP | ${kib(base)} |`,
    `| MCP on demand (default: \`mcp_tools\` + \`mcp_call\`) | ${kib(onDemand)} |`,
    `| memory + sequential-thinking offered directly (${direct2.length} tools; what a role listing them gets) | ${kib(allDirect)} |`,
  ].join('\n');
  writeSection(path.join(__dirname, '..', 'docs', 'benchmarks.md'), '## MCP client', section);
  process.stdout.write(`${section}\n`);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
