import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export function sha256(data: Buffer | string): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

/** Content-addressed file contents: written once, never changed, so a crash cannot damage one. */
export class BlobStore {
  constructor(readonly dir: string) {}

  put(data: Buffer): string {
    const hash = sha256(data);
    const file = this.file(hash);
    if (!fs.existsSync(file)) {
      fs.mkdirSync(this.dir, { recursive: true });
      const tmp = `${file}.tmp-${process.pid}`;
      fs.writeFileSync(tmp, data);
      fs.renameSync(tmp, file);
    }
    return hash;
  }

  get(hash: string): Buffer {
    const data = fs.readFileSync(this.file(hash));
    if (sha256(data) !== hash) throw new Error(`Blob ${hash} in ${this.dir} is damaged`);
    return data;
  }

  private file(hash: string): string {
    return path.join(this.dir, hash);
  }
}
