import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repoRoot = resolve(__dirname, '..', '..', '..');
const corpus = (...parts: string[]) => join(__dirname, 'corpus', ...parts);

function munero(args: string[]) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'src', 'cli', 'main.ts'), ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, ANTHROPIC_API_KEY: undefined },
    timeout: 60_000,
  });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

describe('munero spec check', function () {
  this.timeout(120_000);

  it('prints requirements with ids, line ranges, priorities and criteria; exit 0 when clean', () => {
    const run = munero(['spec', 'check', corpus('kiro', '.kiro', 'specs', 'rate-limiter', 'requirements.md')]);
    assert.equal(run.code, 0, run.err);
    assert.match(run.out, /^REQ-1 {2}Per-key limits {2}\(lines 12-26\)$/m);
    assert.match(run.out, /^ {4}REQ-1\.3 {2}WHEN a key exceeds its limit THEN the system SHALL answer 429/m);
    assert.match(run.out, /2 requirements, 6 criteria, 0 warnings, 0 errors\./);
    const story = munero(['spec', 'check', corpus('speckit', 'specs', '001-photo-albums')]);
    assert.match(story.out, /^US-1 {2}Create an album {2}\(lines 10-21; priority P1\)$/m);
    assert.match(story.out, /Success criteria \(judged, not built\):\n {4}SC-001 {2}Users create their first album/);
    assert.match(story.out, /Tasks from .*tasks\.md \(the plan's starting point\):/);
  });

  it('--json emits one object with requirements, criteria, warnings and errors; exit 1 on errors', () => {
    const run = munero(['spec', 'check', corpus('plain', 'unclear.md'), '--json']);
    assert.equal(run.code, 1, run.err);
    const report = JSON.parse(run.out);
    assert.deepEqual(
      report.requirements.map((r: { id: string; startLine: number; endLine: number }) => [r.id, r.startLine, r.endLine]),
      [
        ['R1', 5, 5],
        ['R2', 6, 6],
        ['US1', 7, 7],
        ['US-1', 8, 8],
      ],
    );
    assert.deepEqual(report.errors.map((e: { code: string; line: number }) => [e.code, e.line]), [
      ['unclear', 6],
      ['duplicate_id', 8],
    ]);
    assert.deepEqual(report.warnings, []);
    const kiro = JSON.parse(munero(['spec', 'check', corpus('kiro', '.kiro', 'specs', 'bookmark-sync'), '--json']).out);
    assert.deepEqual(kiro.requirements[0].criteria[0], { id: 'REQ-1.1', text: 'WHEN the user saves a URL THEN the system SHALL store it with the current time', line: 16 });
    assert.equal(kiro.warnings.length, 1);
  });

  it('exit 2 when the input cannot be read, 2 on a usage error', () => {
    const missing = munero(['spec', 'check', 'no-such-spec.md']);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /no-such-spec\.md: cannot read the spec: no such file/);
    const json = munero(['spec', 'check', 'no-such-spec.md', '--json']);
    assert.equal(json.code, 2);
    assert.equal(JSON.parse(json.out).errors[0].code, 'unreadable');
    assert.equal(munero(['spec', 'lint', 'x.md']).code, 2);
  });

  it('reads a file with bytes that are not UTF-8, with a warning', () => {
    const dir = mkdtempSync(join(tmpdir(), 'munero-check-'));
    writeFileSync(join(dir, 'latin1.md'), Buffer.concat([Buffer.from('# Caf'), Buffer.from([0xe9]), Buffer.from('\n\n- R1: Serve coffee.\n')]));
    const run = munero(['spec', 'check', join(dir, 'latin1.md'), '--json']);
    assert.equal(run.code, 0, run.err);
    assert.deepEqual(JSON.parse(run.out).warnings.map((w: { code: string; line: number }) => [w.code, w.line]), [['not_utf8', 1]]);
  });

  it('build refuses an unresolved clarification unless --allow-unclear, and unknown --only ids, before any model call', () => {
    const workspace = mkdtempSync(join(tmpdir(), 'munero-build-'));
    writeFileSync(join(workspace, 'SPEC.md'), '# T\n\n- R1: One.\n- R2: Two [NEEDS CLARIFICATION: which two?]\n');
    const unclear = munero(['build', 'SPEC.md', '--workspace', workspace]);
    assert.equal(unclear.code, 2);
    assert.match(unclear.err, /1 unresolved \[NEEDS CLARIFICATION\] marker:\n {2}SPEC\.md:4: which two\?\nAnswer them in the spec, or build anyway with --allow-unclear\./);
    const unknown = munero(['build', 'SPEC.md', '--workspace', workspace, '--only', 'R1,R7']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /--only names "R7", which is not a requirement of SPEC\.md\. Known ids: R1, R2\./);
    const allowed = munero(['build', 'SPEC.md', '--workspace', workspace, '--allow-unclear']);
    assert.equal(allowed.code, 2);
    assert.match(allowed.err, /ANTHROPIC_API_KEY/, 'past the spec gate, only the missing key stops it');
    const onlyClear = munero(['build', 'SPEC.md', '--workspace', workspace, '--only', 'R1']);
    assert.match(onlyClear.err, /ANTHROPIC_API_KEY/, 'the open question is in R2, which is not built');
  });
});
