import { parseArgs } from 'node:util';
import { EXIT, exitAfterOutput } from './exit';
import {
  AgentsFileError,
  BuildInputError,
  BuildLockedError,
  BuildManager,
  ConfigError,
  MAX_PARALLEL,
  MissingApiKeyError,
  nearestName,
  SpecError,
  StateDamagedError,
  envFromProcess,
  plural,
  type BuildFlags,
  type BuildResult,
  type EngineEnv,
  type McpSettings,
  type ReviewMode,
} from '../core';
import { HunkPrompt } from './hunkPrompt';
import { LineInput } from './lineInput';
import { serveScriptCommand } from '../scripted/cli';
import { commandHelp, COMMANDS, mainHelp } from './commands';
import { ProgressView, type OutputMode } from './progress';
import { lspCommand } from './lsp';
import { specCheckCommand } from './specCheck';
import { mcpAllowCommand, mcpListCommand } from './mcpClient';
import { printHistory, printStatus } from './reports';
import { printStats } from './stats';
import { watchCommand } from './watch';
import { explainArgError, joinNegativeNumbers } from './argErrors';
import { specLocation, workspaceFolder } from './paths';
import { serveStdio } from '../mcpServer/server';


const TAKES_NO_ARGUMENTS = new Set(['resume', 'status', 'history', 'review', 'stats', 'watch']);

class UsageError extends Error {}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(mainHelp());
    return command ? 0 : EXIT.usage;
  }
  if (command === '--version') {
    process.stdout.write(`${process.env.MUNERO_VERSION ?? '0.1.0'}\n`);
    return 0;
  }
  if (!(command in COMMANDS)) {
    const near = nearestName(command, Object.keys(COMMANDS));
    process.stderr.write(`munero: unknown command "${command}".${near ? ` Did you mean \`munero ${near}\`?` : ''} The commands are listed below.\n\n${mainHelp()}`);
    return EXIT.usage;
  }
  if (command === 'serve-script') return serveScriptCommand(rest);
  if (command === 'lsp' && !rest.includes('--help')) return lspCommand(rest);
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(commandHelp(command));
    return 0;
  }
  try {
    return await runCommand(command, rest);
  } catch (err) {
    return reportError(command, err);
  }
}

async function runCommand(command: string, args: string[]): Promise<number> {
  const { values, positionals } = parse(command, args);
  if (command === 'spec') {
    if (positionals[0] !== 'check' || positionals.length !== 2) throw new UsageError('spec takes `check <file|folder>`, e.g. `munero spec check specs/001-albums`.');
    return specCheckCommand(positionals[1], Boolean(values.json));
  }
  if (TAKES_NO_ARGUMENTS.has(command) && positionals.length) throw new UsageError(`${command} takes no arguments, got "${positionals.join(' ')}"; leave it out (its options are listed below).`);
  const workspaceRoot = workspaceFolder(values.workspace as string | undefined);
  const manager = new BuildManager({ workspaceRoot, env: userEnv(values), mcp: mcpSettings(values), program: 'the munero CLI' });
  if (command === 'mcp') {
    if (positionals[0] === 'list' && positionals.length === 1) return mcpListCommand(manager, Boolean(values.json));
    if (positionals[0] === 'allow' && positionals.length === 2) return mcpAllowCommand(manager, positionals[1]);
    return mcpCommand(positionals, workspaceRoot, userEnv(values), mcpSettings(values));
  }
  // What was recovered from damaged state is said whether the command then succeeds or not (after it ends: hence the awaits).
  try {
    switch (command) {
      case 'build': {
        if (positionals.length !== 1) throw new UsageError('build needs exactly one spec file or folder, e.g. `munero build SPEC.md`.');
        const buildFlags = flags(values);
        const spec = specLocation(positionals[0], workspaceRoot);
        return await runWithProgress(manager, values, () => manager.start(spec, buildFlags));
      }
      case 'resume':
        return await runWithProgress(manager, values, () => manager.resume(flags(values)));
      case 'status':
        return printStatus(manager, Boolean(values.json));
      case 'history':
        return printHistory(manager, Boolean(values.json));
      case 'stats':
        return printStats(manager, Boolean(values.json));
      case 'review':
        return await reviewPending(manager);
      case 'rollback':
        return printRollback(manager.rollback(positionals[0], { force: Boolean(values.force), withState: Boolean(values['with-state']) }));
      case 'watch':
        return await watchCommand(manager, values.json ? 'json' : process.stdout.isTTY ? 'tty' : 'plain', printSummary);
      case 'diff':
        if (positionals.length) throw new UsageError(`diff takes no positional arguments (got "${positionals[0]}"); use --task ID or --since CHECKPOINT.`);
        process.stdout.write(manager.diff({ task: values.task as string | undefined, since: values.since as string | undefined }));
        return 0;
    }
    return EXIT.usage;
  } finally {
    for (const note of manager.stateNotes()) process.stderr.write(`munero ${command}: note: ${note}\n`);
  }
}

function parse(command: string, args: string[]) {
  const options = {
    workspace: { type: 'string' as const },
    json: { type: 'boolean' as const },
    model: { type: 'string' as const },
    'max-iterations': { type: 'string' as const },
    'max-cost-usd': { type: 'string' as const },
    'max-tokens': { type: 'string' as const },
    'max-minutes': { type: 'string' as const },
    parallel: { type: 'string' as const },
    'allow-test-changes': { type: 'boolean' as const },
    'no-sandbox': { type: 'boolean' as const },
    'allow-network': { type: 'string' as const, multiple: true },
    force: { type: 'boolean' as const },
    'with-state': { type: 'boolean' as const },
    task: { type: 'string' as const },
    since: { type: 'string' as const },
    review: { type: 'string' as const },
    only: { type: 'string' as const },
    'allow-unclear': { type: 'boolean' as const },
    'allow-mcp': { type: 'string' as const, multiple: true },
  };
  const allowed = new Set(COMMANDS[command].options.map(([flag]) => flag.split(' ')[0].slice(2)));
  const valueOptions = new Set(Object.entries(options).filter(([, o]) => o.type === 'string').map(([name]) => `--${name}`));
  try {
    const parsed = parseArgs({ args: joinNegativeNumbers(args, valueOptions), options, allowPositionals: true, strict: true });
    for (const key of Object.keys(parsed.values)) {
      if (!allowed.has(key)) throw new UsageError(`munero ${command} does not take --${key}; its options are listed below.`);
    }
    return parsed;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(explainArgError(err as Error, command));
  }
}

/**
 * The key is read once, then taken out of this process's environment, so nothing started from
 * here (the sandbox helper, a command, a test an agent wrote) can inherit it.
 */
const engineEnv = envFromProcess();
delete process.env.ANTHROPIC_API_KEY;

/** MCP in the terminal: no one to ask, so a tool that would ask is denied unless --allow-mcp SERVER[:TOOL] allows it. */
function mcpSettings(values: Record<string, unknown>): McpSettings {
  const rules = (values['allow-mcp'] as string[] | undefined)?.flatMap((r) => r.split(',')).map((r) => r.trim()).filter(Boolean);
  return { trusted: true, allowRules: rules };
}

/** The user's own settings for this run: the environment's, with the flags that widen or narrow what commands may do. */
function userEnv(values: Record<string, unknown>): EngineEnv {
  const hosts = values['allow-network'] as string[] | undefined;
  return {
    ...engineEnv,
    sandbox: values['no-sandbox'] ? 'off' : engineEnv.sandbox,
    allowedHosts: hosts?.flatMap((h) => h.split(',')).map((h) => h.trim()).filter(Boolean),
  };
}

function flags(values: Record<string, unknown>): BuildFlags {
  return {
    model: values.model as string | undefined,
    maxIterations: numberFlag(values['max-iterations'], '--max-iterations', true),
    maxCostUsd: numberFlag(values['max-cost-usd'], '--max-cost-usd', false),
    maxTokens: numberFlag(values['max-tokens'], '--max-tokens', true),
    maxMinutes: numberFlag(values['max-minutes'], '--max-minutes', false),
    parallel: numberFlag(values.parallel, '--parallel', true, MAX_PARALLEL),
    allowTestChanges: values['allow-test-changes'] === true || undefined,
    reviewMode: reviewModeFlag(values.review),
    only: onlyFlag(values.only),
    allowUnclear: values['allow-unclear'] === true || undefined,
  };
}

function onlyFlag(raw: unknown): string[] | undefined {
  if (raw === undefined) return undefined;
  const ids = String(raw).split(',').map((id) => id.trim()).filter(Boolean);
  if (ids.length === 0) throw new UsageError('--only needs requirement ids, e.g. `--only R2,R5`.');
  return ids;
}

function reviewModeFlag(raw: unknown): ReviewMode | undefined {
  if (raw === undefined) return undefined;
  if (raw === 'auto' || raw === 'review' || raw === 'approve') return raw;
  throw new UsageError(`--review must be auto, review or approve, got "${raw}".`);
}

function numberFlag(raw: unknown, name: string, integer: boolean, max?: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n)) || (max !== undefined && n > max)) {
    const range = max !== undefined ? `a whole number from 1 to ${max}` : `a positive ${integer ? 'whole ' : ''}number`;
    throw new UsageError(`${name} must be ${range}, got "${raw}".`);
  }
  return n;
}

async function runWithProgress(manager: BuildManager, values: Record<string, unknown>, run: () => Promise<BuildResult>): Promise<number> {
  const mode: OutputMode = values.json ? 'json' : process.stdout.isTTY ? 'tty' : 'plain';
  const view = new ProgressView(mode);
  const subscription = manager.bus.events$.subscribe((e) => view.onEvent(e));
  // Approve mode asks about each proposed hunk as it comes; answers come from stdin, typed or piped.
  const input = values.review === 'approve' ? new LineInput() : undefined;
  const prompt = input && new HunkPrompt(manager, input, mode === 'json' ? process.stderr : process.stdout);
  const asking = prompt && manager.bus.on('review.changed').subscribe((e) => {
    if (e.pendingCount > 0) void prompt.askPending();
  });
  let interrupts = 0;
  const onSignal = () => {
    interrupts++;
    if (interrupts > 1) process.exit(EXIT.interrupted);
    process.stderr.write('\nInterrupting: saving state… (press Ctrl-C again to quit at once)\n');
    manager.cancel('interrupt');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const result = await run();
    if (mode !== 'json') printSummary(result);
    if (mode !== 'json') printAwaitingReview(manager);
    if (result.outcome === 'verified') return EXIT.verified;
    // Bad key, no permission, unknown model, spend limit, an endpoint that cannot work: the user must act.
    if (result.apiRefused) return EXIT.usage;
    if (result.outcome === 'paused' && interrupts > 0) return EXIT.interrupted;
    if (result.outcome === 'cancelled') return EXIT.interrupted;
    return EXIT.unmet;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    subscription.unsubscribe();
    // After the output ends: stopping the servers is not part of the build's story.
    await manager.mcp.dispose().catch(() => undefined);
    asking?.unsubscribe();
    input?.close();
  }
}

/** `munero mcp [serve]`: Munero as an MCP server on stdio, with the same key, sandbox and workspace rules as a build. */
async function mcpCommand(positionals: string[], workspaceRoot: string, env: EngineEnv, mcp: McpSettings): Promise<number> {
  const [sub = 'serve', ...extra] = positionals;
  if (sub !== 'serve' || extra.length) throw new UsageError(`mcp takes \`serve\` (the default), \`list\` or \`allow SERVER\`, got "${positionals.join(' ')}".`);
  await serveStdio({ workspaceRoot, env, mcp, version: process.env.MUNERO_VERSION });
  return 0;
}

/** `munero review`: the same per-hunk questions over whatever awaits review in the current build. */
async function reviewPending(manager: BuildManager): Promise<number> {
  if (manager.reviewSnapshot().pendingCount === 0) {
    process.stdout.write('No hunks await review.\n');
    return 0;
  }
  const input = new LineInput();
  try {
    await new HunkPrompt(manager, input, process.stdout).askPending();
  } finally {
    input.close();
  }
  printAwaitingReview(manager);
  return 0;
}

function printAwaitingReview(manager: BuildManager): void {
  const { pendingCount, files } = manager.reviewSnapshot();
  if (pendingCount === 0) return;
  const paths = [...new Set(files.map((f) => f.path))];
  process.stdout.write(`${plural(pendingCount, 'hunk')} ${pendingCount === 1 ? 'awaits' : 'await'} review in ${paths.join(', ')}: keep or undo them with \`munero review\` (or in VS Code).\n`);
}

function printRollback(r: ReturnType<BuildManager['rollback']>): number {
  const lines = [`Restored ${plural(r.restored.length, 'file')} of build ${r.buildId} to checkpoint "${r.checkpoint}".`, ...r.restored.map((f) => `  ${f}`)];
  if (r.kept.length) {
    lines.push(`Kept ${plural(r.kept.length, 'file')} as ${r.kept.length === 1 ? 'it is' : 'they are'}:`, ...r.kept.map((k) => `  ${k.path}: ${k.reason}`));
    if (r.kept.some((k) => k.reason.includes('changed after'))) lines.push('Roll those back too with --force (your versions are saved first).');
  }
  if (r.savedDir) lines.push(`Your versions of the files rolled back with --force are saved in ${r.savedDir}`);
  if (r.rewound) {
    const reopened = r.rewound.reopened.length ? `; ${r.rewound.reopened.join(', ')} reopened` : '';
    lines.push(`Task state rewound to iteration ${r.rewound.iteration}${reopened}. Continue from here with \`munero resume\`.`);
  }
  if (r.undoCheckpoint) lines.push(`Undo this rollback with \`munero rollback ${r.undoCheckpoint}${r.rewound ? ' --with-state' : ''}\`.`);
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}

function printSummary(r: BuildResult): void {
  const lines = ['', `Build ${r.buildId}: ${r.outcome} — ${r.reason}`];
  for (const req of r.requirements) {
    const why = req.verifiedBy ? ` — verified by ${req.verifiedBy}` : req.reason ? ` — ${req.reason}` : '';
    const mark = req.verdict === 'verified' ? '✓' : req.verdict === 'failed' ? '✗' : req.verdict === 'passed-untraced' ? '○' : '·';
    lines.push(`  ${mark} ${req.id} ${req.title}${req.verdict === 'passed-untraced' ? ' (passed, untraced)' : ''}${why}`);
  }
  const u = r.usage;
  lines.push(`  ${plural(u.requests, 'model request')}, ${u.inputTokens + u.cacheReadTokens + u.cacheWriteTokens} input / ${u.outputTokens} output tokens, $${u.costUsd.toFixed(4)}`);
  if (r.outcome === 'paused' || r.outcome === 'cancelled') lines.push('  Resumable: run `munero resume`.');
  process.stdout.write(lines.join('\n') + '\n');
}

function reportError(command: string, err: unknown): number {
  const known = [UsageError, BuildInputError, SpecError, ConfigError, AgentsFileError, MissingApiKeyError, BuildLockedError, StateDamagedError];
  if (known.some((k) => err instanceof k)) {
    process.stderr.write(`munero ${command}: ${(err as Error).message}\n`);
    if (err instanceof UsageError) process.stderr.write(`\n${commandHelp(command)}`);
    if (err instanceof BuildLockedError) process.stderr.write('Follow it from here with `munero watch` (same --workspace): it prints that build\'s progress and exits as it ends.\n');
    return EXIT.usage;
  }
  // A stack trace helps the person fixing Munero, not the person using it: shown on request.
  const detail = err instanceof Error ? (process.env.MUNERO_DEBUG ? (err.stack ?? err.message) : err.message) : String(err);
  process.stderr.write(`munero ${command}: unexpected error: ${detail}\n${process.env.MUNERO_DEBUG ? '' : 'Run again with MUNERO_DEBUG=1 to see where it happened, and report it.\n'}`);
  return EXIT.unmet;
}

/** Runs the command line and exits with its code once the output is flushed (the entry bundle calls it). */
export function run(argv: string[]): void {
  main(argv).then(
    (code) => exitAfterOutput(code),
    (err) => {
      process.stderr.write(`munero: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    },
  );
}

if (require.main === module) run(process.argv.slice(2));
