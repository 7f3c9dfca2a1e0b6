import fs from 'node:fs';
import path from 'node:path';
import { BlobStore } from './blobs';
import type { BuildState, HistoryEntry } from './buildState';
import { Checkpoints } from './checkpoints';
import { JsonDocument } from './jsonDocument';
import { assertStateFolder } from './stateFolder';
import { TranscriptWriter } from './transcript';
import { JsonLinesWriter, readJsonLines } from './jsonLines';
import { WorkspaceLock } from './lock';

export const STATE_DIR = '.munero';

/** The `.munero/` folder of a workspace: which build is current, the lock, the history. */
export class WorkspaceState {
  readonly dir: string;
  readonly lock: WorkspaceLock;

  constructor(readonly workspaceRoot: string) {
    this.dir = path.join(workspaceRoot, STATE_DIR);
    this.lock = new WorkspaceLock(path.join(this.dir, 'lock'));
  }

  ensureDir(): void {
    assertStateFolder(this.workspaceRoot);
    fs.mkdirSync(this.dir, { recursive: true });
    const ignore = path.join(this.dir, '.gitignore');
    if (!fs.existsSync(ignore)) fs.writeFileSync(ignore, '# Munero build state; keep it out of commits\n*\n');
  }

  currentBuildId(): string | undefined {
    const file = path.join(this.dir, 'current.json');
    if (!fs.existsSync(file)) return undefined;
    return new JsonDocument<{ buildId?: string }>(file, {}).data.buildId;
  }

  setCurrentBuild(buildId: string): void {
    new JsonDocument<{ buildId?: string }>(path.join(this.dir, 'current.json'), {}).update((d) => {
      d.buildId = buildId;
    });
  }

  createBuild(initial: BuildState): BuildRecord {
    this.ensureDir();
    const record = new BuildRecord(this.workspaceRoot, path.join(this.dir, 'builds', initial.id), initial);
    record.save();
    this.setCurrentBuild(initial.id);
    return record;
  }

  /** Opens an existing build; throws StateCorruptError (file kept aside) if it does not parse. */
  openBuild(buildId: string): BuildRecord {
    assertStateFolder(this.workspaceRoot);
    const dir = path.join(this.dir, 'builds', buildId);
    if (!fs.existsSync(path.join(dir, 'build.json'))) throw new Error(`No build ${buildId} in ${this.dir}`);
    return new BuildRecord(this.workspaceRoot, dir);
  }

  appendHistory(entry: HistoryEntry): void {
    const writer = new JsonLinesWriter(path.join(this.dir, 'history.jsonl'));
    writer.append(entry);
    writer.close();
  }

  history(): HistoryEntry[] {
    return readJsonLines<HistoryEntry>(path.join(this.dir, 'history.jsonl'));
  }
}

/** Everything one build keeps: `.munero/builds/<id>/`. */
export class BuildRecord {
  readonly doc: JsonDocument<BuildState>;
  readonly events: JsonLinesWriter;
  readonly changeLog: JsonLinesWriter;
  readonly blobs: BlobStore;
  readonly checkpoints: Checkpoints;
  private readonly transcripts = new Map<string, TranscriptWriter>();
  private readonly writers: JsonLinesWriter[] = [];

  constructor(
    workspaceRoot: string,
    readonly dir: string,
    initial?: BuildState,
  ) {
    this.doc = new JsonDocument<BuildState>(path.join(dir, 'build.json'), initial ?? ({} as BuildState));
    if (!this.doc.data.id) throw new Error(`${path.join(dir, 'build.json')} holds no build`);
    this.events = new JsonLinesWriter(path.join(dir, 'events.jsonl'));
    this.changeLog = new JsonLinesWriter(path.join(dir, 'changes.jsonl'));
    this.blobs = new BlobStore(path.join(dir, 'blobs'));
    this.checkpoints = new Checkpoints(path.join(dir, 'checkpoints'), this.blobs, workspaceRoot);
  }

  get state(): BuildState {
    return this.doc.data;
  }

  update(mutate: (s: BuildState) => void): void {
    this.doc.update((s) => {
      mutate(s);
      s.updatedAt = new Date().toISOString();
    });
  }

  save(): void {
    this.doc.write();
  }

  transcript(agentId: string): TranscriptWriter {
    let transcript = this.transcripts.get(agentId);
    if (!transcript) {
      const writer = new JsonLinesWriter(path.join(this.dir, 'transcripts', `${agentId}.jsonl`));
      this.writers.push(writer);
      transcript = new TranscriptWriter(writer);
      this.transcripts.set(agentId, transcript);
    }
    return transcript;
  }

  conversationFile(agentId: string): string {
    return path.join(this.dir, 'conversations', `${agentId}.jsonl`);
  }

  changeLogFile(): string {
    return path.join(this.dir, 'changes.jsonl');
  }

  close(): void {
    this.events.close();
    this.changeLog.close();
    for (const w of this.writers) w.close();
    this.writers.length = 0;
    this.transcripts.clear();
  }
}
