import assert from 'node:assert/strict';
import { unifiedDiff } from '../../../src/core/changes/unifiedDiff';

describe('unifiedDiff', () => {
  it('names a binary file instead of dumping it, and leaves unchanged files out', () => {
    const out = unifiedDiff([
      { path: 'logo.png', before: Buffer.from([0x89, 0x50, 0, 1]), after: Buffer.from([0x89, 0x50, 0, 2]) },
      { path: 'same.txt', before: Buffer.from('x\n'), after: Buffer.from('x\n') },
      { path: 'tool.sh', before: null, after: Buffer.from('#!/bin/sh\n'), mode: 0o755 },
    ]);
    assert.equal(out, 'diff --git a/logo.png b/logo.png\nBinary files a/logo.png and b/logo.png differ\ndiff --git a/tool.sh b/tool.sh\nnew file mode 100755\n--- /dev/null\n+++ b/tool.sh\n@@ -0,0 +1,1 @@\n+#!/bin/sh\n');
  });

  it('marks a missing newline at the end of a file as git does', () => {
    const out = unifiedDiff([{ path: 'a.txt', before: Buffer.from('one\ntwo'), after: Buffer.from('one\nthree\n') }]);
    assert.equal(out, 'diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1,2 +1,2 @@\n one\n-two\n\\ No newline at end of file\n+three\n');
  });
});
