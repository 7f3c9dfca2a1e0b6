/** A state file that could not be parsed. It has been moved aside, never silently reset. */
export class StateCorruptError extends Error {
  constructor(
    readonly file: string,
    readonly movedTo: string,
    reason: string,
  ) {
    super(
      `Munero state file ${file} is corrupted (${reason}). It was moved to ${movedTo} so nothing is lost; ` +
        `inspect or delete it, then start a new build.`,
    );
    this.name = 'StateCorruptError';
  }
}

/** Another build holds the workspace lock. */
export class BuildLockedError extends Error {
  constructor(
    readonly holder: LockInfo,
    lockFile: string,
  ) {
    super(
      `A Munero build (${holder.buildId}) is already running in this workspace ` +
        `(pid ${holder.pid} on ${holder.host}, since ${holder.startedAt}). ` +
        `Wait for it to finish or stop it; if it is gone, delete ${lockFile}.`,
    );
    this.name = 'BuildLockedError';
  }
}

export interface LockInfo {
  pid: number;
  host: string;
  buildId: string;
  startedAt: string;
}
