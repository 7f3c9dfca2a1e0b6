import assert from 'node:assert/strict';
import { parseSpec } from '../../../src/core/spec';
import { lines } from './helpers';

const ids = (text: string) => parseSpec(text, 'spec.md').requirements.map((r) => r.id);

describe('spec: requirement forms', () => {
  describe('headings with an id', () => {
    it('recognises the written id styles and keeps ids as written', () => {
      const spec = parseSpec(
        lines('## R1: Add', '', '### FR-001 — Remove', '', '### REQ-3. Rename', '', '## US-1.2 – Undo', '', '## NFR-2', 'Fast.'),
        'spec.md',
      );
      assert.deepEqual(
        spec.requirements.map((r) => [r.id, r.title, r.explicitId]),
        [
          ['R1', 'Add', true],
          ['FR-001', 'Remove', true],
          ['REQ-3', 'Rename', true],
          ['US-1.2', 'Undo', true],
          ['NFR-2', 'Fast.', true],
        ],
      );
    });

    it('maps "Requirement <n>" to REQ-<n> and "User Story <n>" to US-<n>', () => {
      assert.deepEqual(ids(lines('## Requirement 2: Title', '', '### Requirement 3', 'Body.', '', '### User Story 1 - Sign in (Priority: P1)')), [
        'REQ-2',
        'REQ-3',
        'US-1',
      ]);
    });

    it('does not take ordinary headings for ids', () => {
      const text = lines('## V2 migration', '', '- x', '', '## API design', '', '## Step 3: go', '', '## R1: Real', 'Body.');
      assert.deepEqual(ids(text), ['R1']);
    });

    it('ends a body at a deeper heading that has its own id', () => {
      const spec = parseSpec(lines('## R1: Auth', 'Users sign in.', '', '### R1.1: Login', 'With a password.', '', '#### Notes', 'Hashed.'), 'spec.md');
      assert.deepEqual(
        spec.requirements.map((r) => [r.id, r.range.startLine, r.range.endLine]),
        [
          ['R1', 1, 2],
          ['R1.1', 4, 8],
        ],
      );
    });

    it('treats id-like list items inside a requirement body as part of it', () => {
      const spec = parseSpec(lines('## R1: Parent', '', '- R2: looks like an id'), 'spec.md');
      assert.deepEqual(spec.requirements.map((r) => [r.id, r.text]), [['R1', '- R2: looks like an id']]);
    });

    it('accepts an id in bold or code', () => {
      assert.deepEqual(ids(lines('## **R1** Bold id', '', '## `R2`: Code id')), ['R1', 'R2']);
    });

    it('takes the body up to the next heading of the same or higher level', () => {
      const spec = parseSpec(
        lines(
          '## R1: Parent', // 1
          '', //               2
          'Intro.', //         3
          '', //               4
          '### Details', //    5
          '', //               6
          'More detail.', //   7
          '', //               8
          '## Other', //       9
          'Not part of R1.', // 10
        ),
        'spec.md',
      );
      const [r1] = spec.requirements;
      assert.deepEqual(r1!.range, { startLine: 1, endLine: 7 });
      assert.equal(r1!.text, 'Intro.\nDetails\nMore detail.');
    });

    it('finds acceptance criteria after a label, in checkbox lists, and inline', () => {
      const spec = parseSpec(
        lines(
          '## R1: One',
          'Does one thing.',
          '',
          '**Acceptance criteria:**',
          '',
          '- first',
          '- second',
          '',
          '## R2: Two',
          '',
          '- [ ] boxed',
          '- [x] done box',
          '- plain note',
          '',
          '## R3: Three',
          '',
          'Acceptance: it works',
          '',
          '- not acceptance',
        ),
        'spec.md',
      );
      const [r1, r2, r3] = spec.requirements;
      assert.deepEqual(r1!.acceptance, ['first', 'second']);
      assert.equal(r1!.text, 'Does one thing.');
      assert.deepEqual(r2!.acceptance, ['boxed', 'done box']);
      assert.equal(r2!.text, '- plain note');
      assert.deepEqual(r3!.acceptance, ['it works']);
      assert.equal(r3!.text, '- not acceptance');
    });

    it('uses the first sentence of the body as the title when the heading has none', () => {
      const [r] = parseSpec(lines('### Requirement 1', '', 'The app starts in under a second. It also logs.'), 'spec.md').requirements;
      assert.equal(r!.title, 'The app starts in under a second.');
    });

    it('keeps titles to 80 characters', () => {
      const long = 'word '.repeat(40).trim();
      const [r] = parseSpec(lines(`## R1: ${long}`), 'spec.md').requirements;
      assert.ok(r!.title.length <= 80, r!.title);
      assert.ok(r!.title.endsWith('…'));
    });
  });

  describe('list items with an id', () => {
    it('recognises bold, plain, code and checkbox ids; nested items are acceptance criteria', () => {
      const spec = parseSpec(
        lines(
          '# Things',
          '',
          '- **FR-001**: System MUST store notes.',
          '  - a note has a title',
          '  - a note has a body',
          '- R1: The CLI prints its version.',
          '- REQ-3 The CLI prints help',
          '- `R4`: Code id.',
          '- **R5** Bold id with a space.',
          '- [ ] R6: Checkbox id.',
          '- just a note',
        ),
        'spec.md',
      );
      assert.deepEqual(
        spec.requirements.map((r) => [r.id, r.text]),
        [
          ['FR-001', 'System MUST store notes.'],
          ['R1', 'The CLI prints its version.'],
          ['REQ-3', 'The CLI prints help'],
          ['R4', 'Code id.'],
          ['R5', 'Bold id with a space.'],
          ['R6', 'Checkbox id.'],
        ],
      );
      assert.deepEqual(spec.requirements[0]!.acceptance, ['a note has a title', 'a note has a body']);
      assert.deepEqual(spec.requirements[0]!.range, { startLine: 3, endLine: 5 });
    });

    it('finds id items grouped under plain items', () => {
      assert.deepEqual(ids(lines('- Storage', '  - R1: Save.', '  - R2: Load.', '- Other')), ['R1', 'R2']);
    });

    it('does not take "X1 word" without a separator for an id', () => {
      assert.throws(() => parseSpec(lines('- V8 engine is fast', '- ES2022 target'), 'spec.md'), /no requirements/);
    });
  });

  describe('plain items under a Requirements heading', () => {
    const text = lines(
      '# App', //                            1
      '', //                                 2
      '## Requirements', //                  3
      '', //                                 4
      '- The app saves drafts.', //          5
      '  - saving takes under 100 ms', //    6
      '- The app   **restores** drafts.', // 7
      '', //                                 8
      '## Notes', //                         9
      '', //                                10
      '- not a requirement', //             11
    );

    it('derives REQ-<6 hex> ids from the text', () => {
      const spec = parseSpec(text, 'spec.md');
      assert.equal(spec.requirements.length, 2);
      for (const r of spec.requirements) {
        assert.match(r.id, /^REQ-[0-9a-f]{6}$/);
        assert.equal(r.explicitId, false);
      }
      assert.deepEqual(spec.requirements[0]!.acceptance, ['saving takes under 100 ms']);
      assert.deepEqual(spec.requirements[0]!.range, { startLine: 5, endLine: 6 });
      assert.equal(spec.requirements[1]!.text, 'The app   restores drafts.');
    });

    it('keeps ids when items are reordered, reworded in case or spacing, or moved', () => {
      const before = parseSpec(text, 'spec.md').requirements;
      const after = parseSpec(
        lines('Preamble.', '', '### Functional requirements', '', '- the app restores drafts.', '- The app saves drafts.'),
        'spec.md',
      ).requirements;
      const byText = (rs: typeof before) => new Map(rs.map((r) => [r.text.toLowerCase().replace(/\s+/g, ' '), r.id]));
      assert.deepEqual(byText(after), byText(before));
    });

    it('gives identical items distinct ids', () => {
      const got = ids(lines('## Requirements', '', '- Same.', '- Same.', '- Same.'));
      assert.equal(new Set(got).size, 3);
      assert.deepEqual(got.slice(1), [`${got[0]}-2`, `${got[0]}-3`]);
    });

    it('accepts decorated section names and mixes with explicit ids', () => {
      assert.deepEqual(ids(lines('## Requirements *(mandatory)*', '', '- **FR-001**: Written id.', '- Derived.')).map((id) => id.slice(0, 4)), [
        'FR-0',
        'REQ-',
      ]);
    });

    it('ignores plain items under a sub-heading of the Requirements section', () => {
      assert.deepEqual(ids(lines('## Requirements', '', '- R1: Real.', '', '### Key entities', '', '- Album: a set of photos')), ['R1']);
    });
  });

  it('ignores requirement-like lines in code fences, quotes and HTML', () => {
    const text = lines(
      '## Requirements',
      '',
      '```md',
      '- R1: inside a fence',
      '## R2: heading in a fence',
      '```',
      '',
      '    - R3: indented code',
      '',
      '> - R4: quoted',
      '',
      '<!-- - R5: comment -->',
      '',
      '- R6: The real one.',
    );
    assert.deepEqual(ids(text), ['R6']);
  });

  it('titles the spec with the first H1, else the file name', () => {
    assert.equal(parseSpec(lines('Intro', '', '# Todo CLI', '', '- R1: x'), 'a/b.md').title, 'Todo CLI');
    assert.equal(parseSpec(lines('- R1: x'), 'specs/todo-cli.md').title, 'todo-cli');
  });

  it('keeps the original text and handles CRLF and a BOM', () => {
    const text = '\uFEFF---\r\nmodel: m\r\n---\r\n## R1: One\r\n\r\nBody.\r\n\r\n## R2: Two\r\n';
    const spec = parseSpec(text, 'spec.md');
    assert.equal(spec.text, text);
    assert.equal(spec.settings.model, 'm');
    assert.deepEqual(
      spec.requirements.map((r) => r.range),
      [
        { startLine: 4, endLine: 6 },
        { startLine: 8, endLine: 8 },
      ],
    );
  });
});
