/**
 * A state file Munero cannot use as it is. The message names the file, what is wrong and what to
 * do next; nothing in the file has been thrown away.
 */
export class StateDamagedError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
    this.name = 'StateDamagedError';
  }
}

/** A state file that could not be parsed. It has been moved aside, never silently reset. */
export class StateCorruptError extends StateDamagedError {
  constructor(
    file: string,
    readonly movedTo: string,
    readonly reason: string,
    next = 'inspect or delete it, then start a new build.',
  ) {
    super(file, `Munero state file ${file} is corrupted (${reason}). It was moved to ${movedTo} so nothing is lost; ${next}`);
    this.name = 'StateCorruptError';
  }
}

/** Another build holds the workspace lock. */
export class BuildLockedError extends Error {
  constructor(
    readonly holder: LockInfo,
    readonly lockFile: string,
  ) {
    super(
      `A Munero build is already running in this workspace: ${describeLockHolder(holder)}. ` +
        `Watch it, wait for it to finish or stop it there; if that process is gone, delete ${lockFile}.`,
    );
    this.name = 'BuildLockedError';
  }
}

export interface LockInfo {
  pid: number;
  host: string;
  buildId: string;
  startedAt: string;
  /** Who runs the build, as people know it: "the munero CLI", "a VS Code window". Absent in older locks. */
  program?: string;
  /** The spec being built, relative to the workspace. Absent in older locks. */
  specPath?: string;
}

/** "build b-… of SPEC.md by the munero CLI (pid 123 on host), since 10:02:03 UTC": who to look for. */
export function describeLockHolder(holder: LockInfo): string {
  const what = `build ${holder.buildId}${holder.specPath ? ` of ${holder.specPath}` : ''}`;
  const since = holder.startedAt ? `, since ${holder.startedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}` : '';
  return `${what} by ${holder.program ?? 'another process'} (pid ${holder.pid} on ${holder.host})${since}`;
}
