import { COMMANDS } from './commands';

/**
 * node:util parseArgs speaks of "ambiguous arguments" and "positionals"; a user wants to know which
 * option was wrong and what it takes. This rewrites its errors in those terms.
 */
export function explainArgError(err: Error & { code?: string }, command: string): string {
  const option = /'(--?[\w-]+)/.exec(err.message)?.[1] ?? '';
  const form = COMMANDS[command]?.options.find(([flag]) => flag.split(' ')[0] === option)?.[0];
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `there is no option ${option}; the options are listed below.`;
  if (/argument missing/.test(err.message)) return `${option} needs a value, e.g. \`${form ?? `${option} VALUE`}\`.`;
  if (/does not take an argument/.test(err.message)) return `${option} is a switch and takes no value; write just ${option}.`;
  if (/ambiguous/.test(err.message)) return `${option} needs a value, but what follows it starts with "-": ${form ?? `${option} VALUE`}; write ${option}=-… if the value really starts with "-".`;
  return err.message;
}

/** `--parallel -1` is a value, not an option: joined as `--parallel=-1`, it reaches the flag's own range check. */
export function joinNegativeNumbers(args: string[], valueOptions: Set<string>): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const next = args[i + 1];
    if (valueOptions.has(args[i]) && next !== undefined && /^-\d/.test(next)) {
      out.push(`${args[i]}=${next}`);
      i++;
    } else out.push(args[i]);
  }
  return out;
}
