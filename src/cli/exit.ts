/** Also in `munero help` and the README: 1 covers paused (a limit reached, the API out of service, test changes to approve). */
export const EXIT = { verified: 0, unmet: 1, usage: 2, interrupted: 130 } as const;

/**
 * process.exit drops what a pipe has not taken yet (seen: `munero status --json | wc -c` of a
 * 200-task build counted 64 KB of its 480 KB), so the exit waits until stdout and stderr flushed.
 */
export function exitAfterOutput(code: number): void {
  const exit = () => process.exit(code);
  let open = 2;
  for (const stream of [process.stdout, process.stderr]) {
    stream.once('error', exit); // a reader that went away (EPIPE): nothing left to flush
    stream.write('', () => --open === 0 && exit());
  }
}
