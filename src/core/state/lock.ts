import fs from 'node:fs';
import os from 'node:os';
import { BuildLockedError, type LockInfo } from './errors';

/** One build per workspace. A lock whose process is gone (kill -9, reboot) is taken over. */
export class WorkspaceLock {
  private held = false;

  constructor(readonly file: string) {}

  acquire(buildId: string): void {
    const info: LockInfo = { pid: process.pid, host: os.hostname(), buildId, startedAt: new Date().toISOString() };
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        fs.writeFileSync(this.file, JSON.stringify(info, null, 2), { flag: 'wx' });
        this.held = true;
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const holder = this.read();
        if (holder && isAlive(holder)) throw new BuildLockedError(holder, this.file);
        fs.rmSync(this.file, { force: true });
      }
    }
    throw new Error(`Could not take the workspace lock ${this.file}`);
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
