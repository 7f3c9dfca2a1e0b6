import fs from 'node:fs';
import os from 'node:os';
import { BuildLockedError, StateDamagedError, type LockInfo } from './errors';

/** One build per workspace. A lock whose process is gone (kill -9, reboot) is taken over. */
export class WorkspaceLock {
  private held = false;

  constructor(readonly file: string) {}

  /** `about` names the program and the spec, so whoever is refused can tell whom to look for. */
  acquire(buildId: string, about: Pick<LockInfo, 'program' | 'specPath'> = {}): void {
    const info: LockInfo = { pid: process.pid, host: os.hostname(), buildId, startedAt: new Date().toISOString(), ...about };
    // Written whole to a private file, then linked into place: the link fails if a lock exists,
    // and no other process can ever read a half-written lock.
    const tmp = `${this.file}.${process.pid}.${Date.now()}`;
    fs.writeFileSync(tmp, JSON.stringify(info, null, 2));
    try {
      for (let attempt = 0; attempt < 2; attempt++) {
        try {
          fs.linkSync(tmp, this.file);
          this.held = true;
          return;
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
          const holder = this.read();
          if (!holder) throw new StateDamagedError(this.file, `The workspace lock ${this.file} cannot be read (damaged, or written by something else); if no build is running in this workspace, delete it and start again.`);
          if (isAlive(holder)) throw new BuildLockedError(holder, this.file);
          // Take over a dead holder's lock only if it is still that lock (another process may have won).
          const stale = `${this.file}.stale.${process.pid}`;
          try {
            fs.renameSync(this.file, stale);
            const moved = JSON.parse(fs.readFileSync(stale, 'utf8')) as LockInfo;
            if (moved.pid !== holder.pid || moved.startedAt !== holder.startedAt) fs.renameSync(stale, this.file);
            else fs.rmSync(stale, { force: true });
          } catch {
            // Someone else moved it first; try again.
          }
        }
      }
    } finally {
      fs.rmSync(tmp, { force: true });
    }
    throw new Error(`Could not take the workspace lock ${this.file}`);
  }

  /** Adds what became known after taking the lock (a resumed build's spec); replaced whole, so readers never see half. */
  amend(about: Pick<LockInfo, 'program' | 'specPath'>): void {
    const current = this.held ? this.read() : undefined;
    if (!current) return;
    const tmp = `${this.file}.${process.pid}.amend`;
    fs.writeFileSync(tmp, JSON.stringify({ ...current, ...about }, null, 2));
    fs.renameSync(tmp, this.file);
  }

  release(): void {
    if (!this.held) return;
    this.held = false;
    fs.rmSync(this.file, { force: true });
  }

  read(): LockInfo | undefined {
    try {
      return JSON.parse(fs.readFileSync(this.file, 'utf8')) as LockInfo;
    } catch {
      return undefined;
    }
  }

  /** The lock's holder if it is a live process, else undefined. */
  liveHolder(): LockInfo | undefined {
    const holder = this.read();
    return holder && isAlive(holder) ? holder : undefined;
  }
}

/** True while the lock is still this holder's and its process lives: a build being watched has not ended. */
export function stillHeld(lock: WorkspaceLock, holder: LockInfo): boolean {
  const now = lock.read();
  return now !== undefined && now.pid === holder.pid && now.host === holder.host && now.startedAt === holder.startedAt && isAlive(now);
}

function isAlive(holder: LockInfo): boolean {
  if (holder.host !== os.hostname()) return true; // another machine's process: cannot tell, assume alive
  if (holder.pid === process.pid) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
