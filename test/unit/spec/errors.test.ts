import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSpec, parseSpec, SpecError } from '../../../src/core/spec';
import { lines, specError, specErrorAsync } from './helpers';

describe('spec: errors', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'munero-spec-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function file(name: string, content: string | Uint8Array): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, content);
    return path;
  }

  it('loads a valid file', async () => {
    const path = await file('ok.md', lines('# T', '', '- R1: x'));
    const spec = await loadSpec(path);
    assert.equal(spec.path, path);
    assert.deepEqual(spec.requirements.map((r) => r.id), ['R1']);
  });

  describe('unreadable', () => {
    it('names a missing path and the reason', async () => {
      const path = join(dir, 'missing.md');
      const err = await specErrorAsync(loadSpec(path), 'unreadable');
      assert.equal(err.path, path);
      assert.ok(err.message.startsWith(`${path}: `));
      assert.match(err.message, /no such file \(ENOENT\)/);
    });

    it('refuses a directory', async () => {
      const err = await specErrorAsync(loadSpec(dir), 'unreadable');
      assert.match(err.message, /is a directory/);
    });

    it('reports permission denied', async function () {
      if (process.getuid?.() === 0) this.skip(); // root reads anything
      const path = await file('locked.md', '- R1: x\n');
      await chmod(path, 0o000);
      const err = await specErrorAsync(loadSpec(path), 'unreadable');
      assert.match(err.message, /permission denied \(EACCES\)/);
    });
  });

  describe('empty', () => {
    it('refuses a zero-byte file', async () => {
      const err = await specErrorAsync(loadSpec(await file('zero.md', '')), 'empty');
      assert.match(err.message, /0 bytes/);
    });

    it('refuses whitespace only', async () => {
      await specErrorAsync(loadSpec(await file('blank.md', ' \n\t\r\n\n')), 'empty');
      specError(() => parseSpec('\uFEFF  \n', 'x.md'), 'empty');
    });
  });

  describe('binary', () => {
    it('refuses a NUL byte, naming its line', async () => {
      const err = await specErrorAsync(loadSpec(await file('nul.md', Buffer.from('- R1: a\n- R2: b\0\n'))), 'binary');
      assert.equal(err.line, 2);
      specError(() => parseSpec('- R1: a\0', 'x.md'), 'binary');
    });

    it('reads bytes that are not UTF-8 with a warning naming the line, instead of refusing the file', async () => {
      const latin1 = Buffer.concat([Buffer.from('# T\n\n'), Buffer.from([0x2d, 0x20, 0x52, 0x31, 0x3a, 0x20, 0x63, 0x61, 0x66, 0xe9, 0x0a])]);
      const spec = await loadSpec(await file('latin1.md', latin1));
      assert.deepEqual(spec.requirements.map((r) => [r.id, r.text]), [['R1', 'caf\uFFFD']]);
      assert.equal(spec.warnings.length, 1);
      assert.match(spec.warnings[0]!, /latin1\.md:3: bytes that are not UTF-8 on line 3 /);
    });
  });

  it('too_large: gives the size and the limit', async () => {
    const path = await file('big.md', '- R1: ' + 'x'.repeat(200) + '\n');
    const err = await specErrorAsync(loadSpec(path, { maxBytes: 100 }), 'too_large');
    assert.match(err.message, /207 bytes, over the 100-byte limit/);
    assert.equal((await loadSpec(path, { maxBytes: 207 })).requirements.length, 1);
  });

  it('no_requirements: explains the accepted forms', () => {
    const err = specError(() => parseSpec(lines('# Notes', '', 'Just prose.', '', '- a list'), 'notes.md'), 'no_requirements');
    assert.match(err.message, /^notes\.md: no requirements found\./);
    assert.match(err.message, /## R1: Title/);
    assert.match(err.message, /## Requirements/);
  });

  it('bad_front_matter: is a SpecError with path and line', () => {
    const err = specError(() => parseSpec(lines('---', 'max_iterations: five', '---', '- R1: x'), 'a.md'), 'bad_front_matter');
    assert.ok(err instanceof SpecError && err instanceof Error);
    assert.equal(err.name, 'SpecError');
    assert.equal(err.path, 'a.md');
    assert.equal(err.line, 2);
  });

  it('duplicate_id: names both lines', () => {
    const err = specError(() => parseSpec(lines('## R1: One', '', 'Body.', '', '## More', '- R2: Two', '- R1: Again'), 'd.md'), 'duplicate_id');
    assert.equal(err.line, 7);
    assert.match(err.message, /^d\.md:7: requirement id `R1` is used on both line 1 and line 7\./);
  });

  it('duplicate_id: "Requirement 2" and REQ-2 are the same id', () => {
    specError(() => parseSpec(lines('## Requirement 2', 'a', '## REQ-2: b'), 'd.md'), 'duplicate_id');
  });
});
