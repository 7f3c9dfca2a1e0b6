import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from './durableWrite';
import { StateDamagedError } from './errors';

export function sha256(data: Buffer | string): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

/**
 * Content-addressed file contents: written once (durably, before any manifest names them) and
 * never changed. A blob whose bytes no longer match its name is damaged: reading it is an error
 * naming the file, unless the same bytes turn up elsewhere to repair it with.
 */
export class BlobStore {
  constructor(readonly dir: string) {}

  put(data: Buffer): string {
    const hash = sha256(data);
    const file = this.file(hash);
    // A blob cut short is written again; one garbled in place is caught when read (get).
    if (fs.statSync(file, { throwIfNoEntry: false })?.size !== data.length) {
      fs.mkdirSync(this.dir, { recursive: true });
      writeFileAtomic(file, data);
    }
    return hash;
  }

  /** The bytes named `hash`; a StateDamagedError naming the blob when they are missing or changed. */
  get(hash: string): Buffer {
    const file = this.file(hash);
    let data: Buffer;
    try {
      data = fs.readFileSync(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      throw new StateDamagedError(file, `The saved file contents ${file} are missing. ${NEXT}`);
    }
    if (sha256(data) !== hash) throw new StateDamagedError(file, `The saved file contents ${file} are damaged (${data.length} bytes that no longer match their checksum). ${NEXT}`);
    return data;
  }

  /** True when the blob is there with the right bytes. */
  holds(hash: string): boolean {
    try {
      return sha256(fs.readFileSync(this.file(hash))) === hash;
    } catch {
      return false;
    }
  }

  /** Puts back a damaged or missing blob from bytes found elsewhere; false when they are not its bytes. */
  repair(hash: string, data: Buffer): boolean {
    if (sha256(data) !== hash) return false;
    fs.mkdirSync(this.dir, { recursive: true });
    writeFileAtomic(this.file(hash), data);
    return true;
  }

  file(hash: string): string {
    return path.join(this.dir, hash);
  }
}

const NEXT = 'Munero cannot restore that version of the file; roll back to another checkpoint (`munero status` lists them), or put the file back by hand.';
