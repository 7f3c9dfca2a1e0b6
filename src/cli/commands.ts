export interface CommandHelp {
  usage: string;
  summary: string;
  options: [string, string][];
}

const WORKSPACE: [string, string] = ['--workspace DIR', 'the project folder (default: the current folder)'];
const JSON_OUT: [string, string] = ['--json', 'one JSON event per line on stdout'];
const ALLOW_TEST_CHANGES: [string, string] = ['--allow-test-changes', 'approve deleted or weakened tests and changes to the test configuration, so what they cover can be verified'];
const REVIEW: [string, string] = ['--review MODE', 'auto (default): apply changes at once; review: apply them, then keep or undo each hunk (`munero review`); approve: nothing lands until you accept it, asked per hunk like `git add -p` (answers read line by line from stdin)'];
const ALLOW_MCP: [string, string] = ['--allow-mcp SERVER[:TOOL]', 'let agents call MCP tools that would ask (those not marked read-only) of SERVER, or only TOOL (repeat, or comma-separate); without it such calls are refused'];
const SANDBOX_FLAGS: [string, string][] = [
  ['--allow-network HOST', 'let commands reach HOST (repeat, or comma-separate; *.example.com for subdomains); default: no network'],
  ['--no-sandbox', 'run commands without the OS sandbox, with your full rights (only where none is available)'],
];

export const COMMANDS: Record<string, CommandHelp> = {
  build: {
    usage: 'munero build <spec.md|spec folder> [options]',
    summary: 'Plan and build a spec until every requirement is verified or a limit is reached. A relative spec path is read from the current folder when the file is there, else from --workspace.',
    options: [
      WORKSPACE,
      ['--only IDS', 'build only these requirements (comma-separated, e.g. R2,R5) and the tasks they need'],
      ['--allow-unclear', 'start although the spec has unresolved [NEEDS CLARIFICATION: …] markers'],
      ['--model M', 'Claude model (default: $MUNERO_MODEL, the spec, .munero/config.json, or claude-sonnet-5-5)'],
      ['--max-iterations N', 'stop after N iterations (default 5)'],
      ['--max-cost-usd X', 'stop before a request that could take spending past X dollars'],
      ['--max-tokens N', 'stop before a request that could take tokens used past N'],
      ['--max-minutes N', 'stop after N minutes of work'],
      ['--parallel N', 'run up to N ready tasks at once (1 to 32, default 3)'],
      ALLOW_TEST_CHANGES,
      REVIEW,
      ALLOW_MCP,
      ...SANDBOX_FLAGS,
      JSON_OUT,
    ],
  },
  resume: {
    usage: 'munero resume [options]',
    summary: 'Continue the interrupted or paused build from its last completed step.',
    options: [
      WORKSPACE,
      ['--model M', 'continue with another Claude model (e.g. after "model does not exist")'],
      ['--max-iterations N', 'raise the iteration limit'],
      ['--max-cost-usd X', 'raise the cost cap'],
      ['--max-tokens N', 'raise the token cap'],
      ['--max-minutes N', 'raise the time cap'],
      ['--parallel N', 'run up to N ready tasks at once (1 to 32)'],
      ALLOW_TEST_CHANGES,
      REVIEW,
      ALLOW_MCP,
      ...SANDBOX_FLAGS,
      JSON_OUT,
    ],
  },
  status: {
    usage: 'munero status [options]',
    summary: 'Show the current build: tasks, requirements, cost.',
    options: [WORKSPACE, ['--json', 'the build state document as JSON']],
  },
  watch: {
    usage: 'munero watch [options]',
    summary: "Follow the build another process (a terminal, a VS Code window) runs in this workspace: print its progress from the start of its current run until it ends, and exit as it did (0 verified, 1 unmet, failed or paused, 130 cancelled). Ctrl-C stops watching, not the build.",
    options: [WORKSPACE, JSON_OUT],
  },
  rollback: {
    usage: 'munero rollback [CHECKPOINT] [options]',
    summary: 'Restore the files the build touched to a checkpoint (default "start": before the build; task-T1-a2 after a task passed; iter-N after an iteration; before-rollback-N undoes a rollback), byte for byte; files you edited since are kept.',
    options: [
      WORKSPACE,
      ['--force', 'roll back files you edited since too (your versions are saved first)'],
      ['--with-state', "rewind the build's task state too (tasks after that point pending again), so `munero resume` continues from there"],
    ],
  },
  diff: {
    usage: 'munero diff [--task ID] [--since CHECKPOINT] [options]',
    summary: "Print the build's changes as a unified diff: from a checkpoint (default \"start\") to the files now, or only one task's files.",
    options: [
      WORKSPACE,
      ['--since CHECKPOINT', 'diff from this checkpoint (see `munero status`); with --task, the start of that task\'s diff'],
      ['--task ID', 'only the files this task changed, from the checkpoint before its first attempt to its own checkpoint'],
    ],
  },
  review: {
    usage: 'munero review [options]',
    summary: 'Keep or undo, hunk by hunk, the changes of the current build that await review (y keep, n undo, a/d the rest of the file, ? help; answers read line by line from stdin).',
    options: [WORKSPACE],
  },
  spec: {
    usage: 'munero spec check <file|folder> [--json]',
    summary: 'Show what Munero reads from a spec (requirements, line ranges, priorities, criteria with ids) and what is wrong with it; no model, no API key. Exit 0 clean, 1 with errors, 2 unreadable.',
    options: [['--json', 'one JSON object: {requirements: [{id, title, startLine, endLine, criteria: [{id, text}]}], warnings, errors, ...}']],
  },
  history: {
    usage: 'munero history [options]',
    summary: 'List past builds in this workspace.',
    options: [WORKSPACE, ['--json', 'as JSON lines']],
  },
  stats: {
    usage: 'munero stats [options]',
    summary: 'Trends over the last 20 finished builds: cost per verified requirement, iterations per requirement, check time per task, first-attempt pass rate.',
    options: [WORKSPACE, ['--json', '{"builds": [...]} as JSON, oldest first']],
  },
  mcp: {
    usage: 'munero mcp [serve|list|allow SERVER] [options]',
    summary: 'Serve Munero over MCP on stdin/stdout (the default subcommand `serve`), so another agent (Claude Code, VS Code, Cursor) can list specs, start builds and follow them; logs go to stderr. `list` starts the MCP servers agents use (bundled, .munero/mcp.json, .vscode/mcp.json, ~/.config/munero/mcp.json) and shows each one\'s state, tool count and last error; `allow SERVER` allows a server from a workspace file for this workspace.',
    options: [WORKSPACE, ['--json', 'list as JSON'], ALLOW_MCP, ...SANDBOX_FLAGS],
  },
  lsp: {
    usage: 'munero lsp --stdio',
    summary: 'Run the spec language server (diagnostics, outline, hover with verdicts, Build lenses) for any editor; stdout carries only LSP messages.',
    options: [['--stdio', 'talk LSP over stdin/stdout (also --node-ipc, --socket=PORT)']],
  },
  'serve-script': {
    usage: 'munero serve-script <script.json> [--port N] | --record <out.json> --upstream URL',
    summary: 'Serve a scripted Claude Messages API on loopback, or record a real session into a script.',
    options: [],
  },
};

/** Every exit code a command can end with; `munero help` prints them and the README lists the same. */
export const EXIT_CODES: [string, string][] = [
  ['0', 'every requirement verified (other commands: done, nothing wrong found)'],
  ['1', 'the build ended without every requirement verified: requirements unmet, a task failed, or the build paused at a limit (iterations, cost, tokens, time), with the API out of service, or with test changes to approve; `munero resume` continues a paused build. `spec check` and `mcp list`: errors found'],
  ['2', 'usage, configuration or input error (a bad flag, a missing spec or workspace, a broken .munero file, no API key, a base URL without http://): nothing was built; or the API refused what waiting cannot fix (bad key, no permission, unknown model, spend limit, an unreachable endpoint as written): the build is paused, `munero resume` once fixed. The message says what to fix'],
  ['130', 'interrupted by Ctrl-C or SIGTERM; the state is saved and `munero resume` continues'],
];

export function commandHelp(name: string): string {
  const c = COMMANDS[name];
  const width = Math.max(0, ...c.options.map(([flag]) => flag.length));
  const opts = c.options.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`).join('\n');
  return `Usage: ${c.usage}\n\n${c.summary}\n${opts ? `\nOptions:\n${opts}\n  --help${' '.repeat(Math.max(0, width - 6))}  show this help\n` : ''}`;
}

export function mainHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  const list = Object.entries(COMMANDS)
    .map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`)
    .join('\n');
  return `Munero turns a markdown spec into working, tested code.\n\nUsage: munero <command> [options]\n\nCommands:\n${list}\n\nRun \`munero <command> --help\` for a command's options.\nExit codes:\n${EXIT_CODES.map(([code, text]) => `  ${code.padEnd(3)}  ${text}`).join('\n')}\n`;
}
