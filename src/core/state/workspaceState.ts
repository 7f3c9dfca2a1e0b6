import fs from 'node:fs';
import path from 'node:path';
import { BlobStore } from './blobs';
import type { BuildState, HistoryEntry } from './buildState';
import { Checkpoints } from './checkpoints';
import { StateCorruptError, StateDamagedError } from './errors';
import { JsonDocument } from './jsonDocument';
import { assertStateFolder } from './stateFolder';
import { TranscriptWriter } from './transcript';
import { JsonLinesWriter, readJsonLines, type NoteSink } from './jsonLines';
import { WorkspaceLock } from './lock';
import { rebuildBuildState } from './rebuildBuild';
import { startFromChangeLog } from './rebuildStart';

export const STATE_DIR = '.munero';

/** The `.munero/` folder of a workspace: which build is current, the lock, the history. */
export class WorkspaceState {
  readonly dir: string;
  readonly lock: WorkspaceLock;
  /** What was recovered from damaged state since the last `takeNotes`, for the user. */
  private readonly notes: string[] = [];
  readonly note: NoteSink = (message) => {
    if (!this.notes.includes(message)) this.notes.push(message);
  };

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

  takeNotes(): string[] {
    return this.notes.splice(0);
  }

  /**
   * The current build. A damaged `current.json` (moved aside), or one naming a build that is not
   * there, points again at the newest build in `builds/`, and says so.
   */
  currentBuildId(): string | undefined {
    const file = path.join(this.dir, 'current.json');
    if (!fs.existsSync(file)) return undefined;
    let problem: string;
    try {
      const id = new JsonDocument<{ buildId?: string }>(file, {}, checkCurrent).data.buildId!;
      if (fs.existsSync(path.join(this.buildsDir(), id))) return id;
      problem = `${file} names build ${id}, which is not in ${this.buildsDir()}`;
    } catch (err) {
      if (!(err instanceof StateCorruptError)) throw err;
      problem = `${file} was corrupted (${err.reason}) and was moved to ${err.movedTo}`;
    }
    const newest = this.newestBuild();
    if (newest) this.setCurrentBuild(newest);
    this.note(newest ? `${problem}; the current build is now ${newest}, the newest in ${this.buildsDir()}.` : `${problem}; there is no build in ${this.buildsDir()} to point it at.`);
    return newest;
  }

  private buildsDir(): string {
    return path.join(this.dir, 'builds');
  }

  /** Build ids start with their creation time to the second, so the last in name order is the newest. */
  private newestBuild(): string | undefined {
    if (!fs.existsSync(this.buildsDir())) return undefined;
    return fs
      .readdirSync(this.buildsDir(), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort()
      .at(-1);
  }

  setCurrentBuild(buildId: string): void {
    new JsonDocument<{ buildId?: string }>(path.join(this.dir, 'current.json'), {}).update((d) => {
      d.buildId = buildId;
    });
  }

  createBuild(initial: BuildState): BuildRecord {
    this.ensureDir();
    const record = new BuildRecord(this.workspaceRoot, path.join(this.dir, 'builds', initial.id), initial, this.note);
    record.save();
    this.setCurrentBuild(initial.id);
    return record;
  }

  /**
   * Opens an existing build. A damaged `build.json` is moved aside and rebuilt from the build's
   * logs and checkpoints (see rebuildBuild.ts), with a note saying from what and what was lost.
   */
  openBuild(buildId: string): BuildRecord {
    assertStateFolder(this.workspaceRoot);
    const dir = path.join(this.buildsDir(), buildId);
    const file = path.join(dir, 'build.json');
    if (!fs.existsSync(dir)) throw new StateDamagedError(dir, `There is no build ${buildId} in ${this.buildsDir()}; \`munero history\` lists the builds of this workspace.`);
    if (!fs.existsSync(file)) return this.rebuild(buildId, `${file} is missing`);
    try {
      return new BuildRecord(this.workspaceRoot, dir, undefined, this.note);
    } catch (err) {
      if (!(err instanceof StateCorruptError) || err.file !== file) throw err;
      return this.rebuild(buildId, `${file} was corrupted (${err.reason}) and was moved to ${err.movedTo}`, err.movedTo);
    }
  }

  private rebuild(buildId: string, problem: string, movedTo?: string): BuildRecord {
    const dir = path.join(this.buildsDir(), buildId);
    const history = this.history().find((e) => e.buildId === buildId);
    const state = rebuildBuildState({ dir, id: buildId, history, movedTo, note: this.note });
    if (!state) throw new StateDamagedError(path.join(dir, 'build.json'), `${problem}, and the build's event log, checkpoints and history hold nothing to rebuild it from. Remove ${dir} (or move it away) and start a new build.`);
    this.note(`${problem}; it was rebuilt from ${state.recovered!.from.join(', ')}. Lost: ${state.recovered!.lost.join('; ')}.`);
    return new BuildRecord(this.workspaceRoot, dir, state, this.note, true);
  }

  appendHistory(entry: HistoryEntry): void {
    const writer = new JsonLinesWriter(path.join(this.dir, 'history.jsonl'), this.note);
    writer.append(entry);
    writer.close();
  }

  history(): HistoryEntry[] {
    return readJsonLines<HistoryEntry>(path.join(this.dir, 'history.jsonl'), this.note);
  }
}

function checkCurrent(data: unknown): string | undefined {
  const id = (data as { buildId?: unknown } | null)?.buildId;
  return typeof id === 'string' && /^[A-Za-z0-9._-]{1,80}$/.test(id) ? undefined : 'it names no build';
}

/** What a state document must hold to be a build (a garbled file can still parse). */
function checkBuild(folderId: string) {
  return (data: unknown): string | undefined => {
    const s = data as Partial<BuildState> | null;
    if (!s || typeof s !== 'object') return 'not a build state document';
    if (s.id !== folderId) return `it names build ${JSON.stringify(s.id)} but is in the folder of ${folderId}`;
    // Only what every build has from its first write on (documents from older versions lack the rest).
    const missing = [typeof s.status === 'string' ? '' : 'status', Array.isArray(s.checkpoints) ? '' : 'checkpoints'].filter(Boolean);
    return missing.length ? `it lacks ${missing.join(' and ')}` : undefined;
  };
}

/** Everything one build keeps: `.munero/builds/<id>/`. */
export class BuildRecord {
  readonly doc: JsonDocument<BuildState>;
  readonly events: JsonLinesWriter;
  readonly changeLog: JsonLinesWriter;
  readonly blobs: BlobStore;
  readonly checkpoints: Checkpoints;
  /** Open transcripts of the agents running now; each is closed when its agent ends. */
  private readonly transcripts = new Map<string, { transcript: TranscriptWriter; writer: JsonLinesWriter }>();

  constructor(
    workspaceRoot: string,
    readonly dir: string,
    initial?: BuildState,
    /** Whom to tell what was recovered from damaged state. */
    readonly note: NoteSink = () => {},
    /** `initial` replaces what is on disk (a rebuilt document), instead of being the default for a new build. */
    replace = false,
  ) {
    const file = path.join(dir, 'build.json');
    if (replace) fs.rmSync(file, { force: true });
    this.doc = new JsonDocument<BuildState>(file, initial ?? ({} as BuildState), checkBuild(path.basename(dir)));
    if (replace) this.doc.write();
    if (!this.doc.data.id) throw new StateDamagedError(file, `${file} holds no build. Remove ${dir} (or move it away) and start a new build.`);
    this.events = new JsonLinesWriter(path.join(dir, 'events.jsonl'), note);
    this.changeLog = new JsonLinesWriter(path.join(dir, 'changes.jsonl'), note);
    this.blobs = new BlobStore(path.join(dir, 'blobs'));
    this.checkpoints = new Checkpoints(path.join(dir, 'checkpoints'), this.blobs, workspaceRoot, {
      note,
      rebuildStart: () => startFromChangeLog(this.changeLogFile(), this.blobs, note),
    });
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
    let open = this.transcripts.get(agentId);
    if (!open) {
      const writer = new JsonLinesWriter(path.join(this.dir, 'transcripts', `${agentId}.jsonl`));
      open = { transcript: new TranscriptWriter(writer), writer };
      this.transcripts.set(agentId, open);
    }
    return open.transcript;
  }

  /**
   * Closes an ended agent's transcript: a long build has an agent per attempt, and each kept
   * open would hold a file descriptor and its last request's messages until the build ends.
   * A later run of the same agent (a resume) appends to the file again.
   */
  endTranscript(agentId: string): void {
    this.transcripts.get(agentId)?.writer.close();
    this.transcripts.delete(agentId);
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
    for (const { writer } of this.transcripts.values()) writer.close();
    this.transcripts.clear();
  }
}
