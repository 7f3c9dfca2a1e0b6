import { unifiedHunk, type BuildManager, type ReviewFile, type ReviewHunk } from '../core';
import type { LineInput } from './lineInput';

export const EOF_REASON = 'no answer (stdin closed)';

const HELP = (accept: string, reject: string) =>
  [`y - ${accept} this hunk`, `n - ${reject} this hunk (then a reason line, Enter for none)`, `a - ${accept} this hunk and the rest of the file`, `d - ${reject} this hunk and the rest of the file`, '? - print this help'].join('\n');

/**
 * Asks about each pending hunk like `git add -p`. Approve-mode proposals: y accepts, n rejects;
 * when stdin closes, the rest are rejected (nothing lands). Applied changes (review mode): y keeps,
 * n undoes; when stdin closes, the rest stay pending, since undoing is itself a change.
 */
export class HunkPrompt {
  private busy: Promise<void> = Promise.resolve();
  private inputClosed = false;

  constructor(
    private readonly manager: BuildManager,
    private readonly input: LineInput,
    private readonly out: NodeJS.WritableStream,
  ) {}

  /** Asks about every hunk pending now (and any that appear meanwhile); calls queue behind each other. */
  askPending(): Promise<void> {
    this.busy = this.busy.then(() => this.drain());
    return this.busy;
  }

  private async drain(): Promise<void> {
    for (let next = this.nextPending(); next; next = this.nextPending()) {
      const [file, hunk] = next;
      if (this.inputClosed) {
        if (file.state === 'applied') return;
        await this.manager.decideReview({ hunkId: hunk.id }, { accept: false, reason: EOF_REASON });
        continue;
      }
      await this.ask(file, hunk);
    }
  }

  private nextPending(): [ReviewFile, ReviewHunk] | undefined {
    for (const file of this.manager.reviewSnapshot().files) {
      const hunk = file.hunks.find((h) => h.status === 'pending');
      if (hunk && !(this.inputClosed && file.state === 'applied')) return [file, hunk];
    }
    return undefined;
  }

  private async ask(file: ReviewFile, hunk: ReviewHunk): Promise<void> {
    const proposed = file.state === 'proposed';
    const [accept, reject] = proposed ? ['accept', 'reject'] : ['keep', 'undo'];
    this.out.write(`\n── ${file.path}${file.taskId ? ` (task ${file.taskId})` : ''}, hunk ${hunk.index} of ${file.hunks.length}${proposed ? ', proposed' : ', applied'}\n${unifiedHunk(hunk)}\n`);
    while (true) {
      this.out.write(`${proposed ? 'Accept' : 'Keep'} this hunk [y,n,a,d,?]? `);
      const answer = await this.input.next();
      if (answer === undefined) {
        this.inputClosed = true;
        this.out.write('\n');
        return;
      }
      const key = answer.trim().toLowerCase();
      if (key === 'y' || key === 'a') return this.decide(key === 'a' ? file : hunk, { accept: true });
      if (key === 'n' || key === 'd') {
        this.out.write('Reason (Enter for none): ');
        const reason = await this.input.next();
        if (reason === undefined) this.inputClosed = true;
        return this.decide(key === 'd' ? file : hunk, { accept: false, reason: reason ?? EOF_REASON });
      }
      this.out.write(`${HELP(accept, reject)}\n`);
    }
  }

  /** One hunk, or it and the rest of its file (the file's pending hunks, by id). */
  private async decide(what: ReviewHunk | ReviewFile, decision: { accept: boolean; reason?: string }): Promise<void> {
    const ids = 'hunks' in what ? what.hunks.filter((h) => h.status === 'pending').map((h) => h.id) : [what.id];
    for (const hunkId of ids) {
      const { stale } = await this.manager.decideReview({ hunkId }, decision);
      for (const id of stale) this.out.write(`hunk ${id} is stale: the file changed there since, so it was left as it is\n`);
    }
  }
}
