import type { CommandPolicy } from './types';

export type CommandCheck = { allowed: true } | { allowed: false; reason: string };

/** What could chain, redirect or substitute commands in the arguments of a prefix entry. */
const SHELL_OPERATORS = ['&&', '||', ';', '|', '&', '`', '$(', '>', '<', '\n', '\r'];

/** Collapses runs of spaces and tabs; newlines are kept, they separate commands. */
export function normaliseCommand(command: string): string {
  return command.replace(/[ \t]+/g, ' ').trim();
}

/**
 * Whether `command` may run. Entries are exact commands, or prefixes ending in ` *` that also
 * accept arguments, as long as those arguments cannot chain or substitute other commands.
 */
export function checkCommand(command: string, policy: CommandPolicy): CommandCheck {
  const cmd = normaliseCommand(command);
  if (cmd === '') return { allowed: false, reason: 'The command is empty.' };
  const entries = policy.allow.map(normaliseCommand).filter((e) => e !== '');

  if (entries.some((entry) => entry === cmd)) return { allowed: true };

  let operatorRefusal: string | undefined;
  for (const entry of entries) {
    if (!entry.endsWith(' *')) continue;
    const prefix = entry.slice(0, -2);
    if (!cmd.startsWith(prefix)) continue;
    const args = cmd.slice(prefix.length);
    // `npx tsc;…` is this entry plus a chained command; `npx tscx` is another command altogether.
    if (args !== '' && !args.startsWith(' ') && !SHELL_OPERATORS.some((op) => args.startsWith(op))) continue;
    const operator = SHELL_OPERATORS.find((op) => args.includes(op));
    if (!operator) return { allowed: true };
    operatorRefusal =
      `Its arguments contain the shell operator ${JSON.stringify(operator)}, which is only accepted when ` +
      `the whole command is an exact allowed entry; run each command separately.`;
  }

  const allowed = entries.length ? entries.map((e) => `  ${e}`).join('\n') : '  (nothing)';
  return {
    allowed: false,
    reason:
      `Command not allowed: ${JSON.stringify(cmd)}.` +
      (operatorRefusal ? ` ${operatorRefusal}` : '') +
      `\nAllowed commands (a trailing " *" accepts arguments):\n${allowed}\n` +
      `To allow more, add entries to "commands.allow" in .munero/config.json.`,
  };
}
