import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadSpec, selectRequirements, type Spec } from '../../../src/core/spec';

const corpus = (...parts: string[]) => join(__dirname, 'corpus', ...parts);
const load = (path: string) => loadSpec(path, { lenient: true });

/** [id, startLine, endLine, criteria] for each requirement, in order. */
type Shape = [string, number, number, number][];
const shape = (spec: Spec): Shape => spec.requirements.map((r) => [r.id, r.range.startLine, r.range.endLine, r.criteria.length]);
const codes = (spec: Spec) => spec.issues.map((i) => `${i.severity} ${i.code} ${i.line}`);

describe('spec: corpus of specs written in each tool\'s form', () => {
  describe('spec-kit', () => {
    it('folder specs/001-photo-albums: stories with priorities and scenarios, FRs, SC- items, a clarification, tasks.md', async () => {
      const spec = await load(corpus('speckit', 'specs', '001-photo-albums'));
      assert.match(spec.path, /001-photo-albums\/spec\.md$/);
      assert.deepEqual(shape(spec), [
        ['US-1', 10, 21, 2],
        ['US-2', 25, 35, 1],
        ['US-3', 39, 46, 2],
        ['FR-001', 59, 59, 0],
        ['FR-002', 60, 60, 0],
        ['FR-003', 61, 61, 0],
        ['FR-004', 62, 62, 0],
        ['FR-005', 63, 63, 0],
        ['FR-006', 64, 64, 0],
        ['FR-007', 65, 65, 0],
        ['FR-008', 66, 66, 0],
        ['FR-008a', 67, 67, 0],
      ]);
      assert.deepEqual(spec.requirements.slice(0, 3).map((r) => [r.title, r.priority]), [
        ['Create an album', 'P1'],
        ['Reorder photos', 'P2'],
        ['Share an album', 'P3'],
      ]);
      assert.deepEqual(spec.requirements[0]!.criteria.map((c) => [c.id, c.line]), [
        ['US-1.1', 20],
        ['US-1.2', 21],
      ]);
      assert.match(spec.requirements[0]!.criteria[0]!.text, /^Given a library with three photos, When .* Then "Trip" is listed with three photos$/);
      assert.deepEqual(spec.successCriteria.map((s) => [s.id, s.line]), [
        ['SC-001', 78],
        ['SC-002', 79],
        ['SC-003', 80],
      ]);
      assert.deepEqual(spec.clarifications, [{ text: 'expiry not specified - 7 days, 30 days, never?', line: 64 }], 'the checklist mention is no marker');
      assert.deepEqual(codes(spec), ['error unclear 64', 'warning unknown_reference 22']);
      assert.deepEqual(
        spec.tasks!.items.map((t) => [t.id, t.requirements, t.dependsOn]),
        [
          ['T001', [], []],
          ['T002', [], []],
          ['T003', ['US-1', 'FR-001', 'FR-002'], ['T002']],
          ['T004', ['US-1'], ['T002']],
          ['T005', ['US-2', 'FR-003'], ['T004']],
          ['T006', ['US-3', 'FR-004'], ['T005']],
          ['T007', [], ['T006']],
        ],
      );
      assert.deepEqual(spec.tasks!.items[2]!.files, ['src/albums/create.ts']);
      assert.deepEqual(spec.tasks!.items[6]!.unresolved, ['US9']);
    });
  });

  describe('Kiro', () => {
    it('folder .kiro/specs/bookmark-sync: EARS lists and N.M lines; tasks.md references resolve to requirements', async () => {
      const spec = await load(corpus('kiro', '.kiro', 'specs', 'bookmark-sync'));
      assert.match(spec.path, /bookmark-sync\/requirements\.md$/);
      assert.deepEqual(shape(spec), [
        ['REQ-1', 10, 18, 3],
        ['REQ-2', 20, 29, 4],
        ['REQ-3', 31, 39, 3],
        ['REQ-4', 41, 48, 2],
      ]);
      assert.deepEqual(spec.requirements[2]!.criteria.map((c) => [c.id, c.line]), [
        ['REQ-3.1', 37],
        ['REQ-3.2', 38],
        ['REQ-3.3', 39],
      ]);
      assert.equal(spec.requirements[2]!.criteria[0]!.text, 'WHEN the user deletes a bookmark THEN the system SHALL remove it from every device');
      assert.equal(spec.requirements[3]!.title, 'Import');
      assert.deepEqual(
        spec.tasks!.items.map((t) => [t.id, t.requirements, t.dependsOn, t.done]),
        [
          ['T1', ['REQ-1'], [], true],
          ['T2.1', ['REQ-1'], ['T1'], false],
          ['T2.2', ['REQ-1'], ['T2.1'], false],
          ['T3.1', ['REQ-2'], ['T2.2'], false],
          ['T3.2', ['REQ-2'], ['T3.1'], false],
          ['T4', ['REQ-3'], ['T3.2'], false],
          ['T5', ['REQ-4'], ['T4'], false],
        ],
      );
      assert.deepEqual(codes(spec), ['warning unknown_reference 22']);
      assert.match(spec.warnings[0]!, /tasks\.md:22: task T5 names "9\.9"/);
    });

    it('rate-limiter/requirements.md: criteria lists split by bold group labels; other tools\' front matter is no warning', async () => {
      const spec = await load(corpus('kiro', '.kiro', 'specs', 'rate-limiter', 'requirements.md'));
      assert.deepEqual(shape(spec), [
        ['REQ-1', 12, 26, 4],
        ['REQ-2', 28, 35, 2],
      ]);
      assert.deepEqual(spec.requirements[0]!.criteria.map((c) => c.line), [20, 21, 25, 26]);
      assert.deepEqual(spec.issues, []);
    });
  });

  describe('OpenSpec', () => {
    it('openspec/specs/auth/spec.md: "Requirement: <Name>" with one criterion per scenario', async () => {
      const spec = await load(corpus('openspec', 'openspec', 'specs', 'auth', 'spec.md'));
      assert.deepEqual(shape(spec), [
        ['password-sign-in', 9, 23, 2],
        ['session-expiry', 25, 32, 1],
        ['sign-out', 34, 42, 1],
      ]);
      assert.deepEqual(spec.requirements.map((r) => r.title), ['Password Sign-In', 'Session Expiry', 'Sign-Out']);
      const [valid, wrong] = spec.requirements[0]!.criteria;
      assert.deepEqual([valid!.id, valid!.line, wrong!.id, wrong!.line], ['password-sign-in.1', 13, 'password-sign-in.2', 19]);
      assert.equal(valid!.text, 'Valid credentials: WHEN a user submits a registered email and its password THEN a session is created AND the user lands on the dashboard');
      assert.deepEqual(spec.issues, []);
    });

    it('change folder add-two-factor: ADDED and MODIFIED from two capabilities are built, REMOVED and RENAMED reported', async () => {
      const spec = await load(corpus('openspec', 'openspec', 'changes', 'add-two-factor'));
      assert.equal(spec.title, 'add-two-factor');
      assert.deepEqual(shape(spec), [
        ['second-factor-by-email', 3, 21, 3],
        ['session-expiry', 25, 37, 2],
        ['sign-in-code-email', 3, 11, 1],
      ]);
      assert.deepEqual(spec.requirements.map((r) => r.delta), ['added', 'modified', 'added']);
      assert.match(spec.requirements[2]!.file!, /notifications\/spec\.md$/);
      assert.deepEqual(
        spec.deltas.map((d) => [d.kind, d.name, d.to, d.line]),
        [
          ['removed', 'Remember Me', undefined, 41],
          ['renamed', 'Password Sign-In', 'First Factor Sign-In', 48],
        ],
      );
      assert.deepEqual(codes(spec), ['warning delta_removed 41', 'warning delta_renamed 48']);
      assert.deepEqual(spec.tasks!.items.map((t) => [t.id, t.requirements.length]), [
        ['T1.1', 0],
        ['T1.2', 0],
        ['T1.3', 0],
        ['T2.1', 0],
      ]);
    });
  });

  describe('BMAD', () => {
    it('prd.md (v4): FR/NFR bullets and "Story N.M" sections with numbered criteria', async () => {
      const spec = await load(corpus('bmad', 'docs', 'prd.md'));
      assert.deepEqual(shape(spec), [
        ['FR1', 24, 24, 0],
        ['FR2', 25, 25, 0],
        ['FR3', 26, 26, 0],
        ['FR4', 27, 27, 0],
        ['NFR1', 31, 31, 0],
        ['NFR2', 32, 32, 0],
        ['STORY-1.1', 43, 53, 3],
        ['STORY-1.2', 55, 64, 2],
        ['STORY-2.1', 68, 77, 2],
      ]);
      assert.equal(spec.requirements[6]!.title, 'Save a recipe from a URL');
      assert.deepEqual(spec.requirements[6]!.criteria.map((c) => c.id), ['STORY-1.1.1', 'STORY-1.1.2', 'STORY-1.1.3']);
      assert.deepEqual(spec.issues, []);
    });

    it('prd-v6.md: FR lines as paragraphs, bold ids, compound ids, open questions', async () => {
      const spec = await load(corpus('bmad', 'docs', 'prd-v6.md'));
      assert.deepEqual(shape(spec), [
        ['FR1', 26, 26, 0],
        ['FR2', 27, 27, 0],
        ['FR3', 28, 28, 0],
        ['FR4', 32, 32, 0],
        ['FR5', 33, 34, 0],
        ['NFR-PERF-1', 40, 40, 0],
        ['NFR-A11Y-1', 44, 44, 0],
        ['UX-DR1', 48, 48, 0],
        ['UX-DR2', 49, 49, 0],
      ]);
      assert.equal(spec.requirements[4]!.text, "Group members can comment on a shared route.\nComments show the author's name and the time.");
      assert.deepEqual(spec.openQuestions.map((q) => q.line), [53, 54]);
      assert.deepEqual(spec.successCriteria.map((s) => s.line), [20]);
      assert.deepEqual(spec.issues, [], 'stepsCompleted and friends are BMAD\'s keys, not warnings');
    });

    it('epics.md (v6): Given/When/Then paragraphs are criteria; the FR coverage map is not requirements', async () => {
      const spec = await load(corpus('bmad', 'docs', 'epics.md'));
      assert.deepEqual(shape(spec), [
        ['FR1', 16, 16, 0],
        ['FR2', 17, 17, 0],
        ['STORY-1.1', 32, 47, 2],
        ['STORY-1.2', 49, 59, 1],
      ]);
      assert.deepEqual(spec.requirements[2]!.criteria.map((c) => [c.id, c.line]), [
        ['STORY-1.1.1', 40],
        ['STORY-1.1.2', 45],
      ]);
      assert.equal(spec.requirements[2]!.criteria[0]!.text, 'Given an empty map When I click two points Then a route line joins them And both points are listed as waypoints');
      assert.deepEqual(spec.issues, []);
    });

    it('stories/1.2.story.md: the story file\'s criteria, not its task checkboxes', async () => {
      const spec = await load(corpus('bmad', 'docs', 'stories', '1.2.story.md'));
      assert.deepEqual(shape(spec), [['STORY-1.2', 1, 37, 3]]);
      assert.equal(spec.requirements[0]!.title, 'Tag recipes');
      assert.deepEqual(spec.requirements[0]!.criteria.map((c) => c.line), [15, 16, 17]);
    });
  });

  describe('plain markdown', () => {
    it('numbered-sections.md: "3. Functional Requirements" and items under its sub-headings, not the glossary or traceability table', async () => {
      const spec = await load(corpus('plain', 'numbered-sections.md'));
      assert.deepEqual(
        spec.requirements.map((r) => [r.range.startLine, r.range.endLine, r.criteria.length, r.explicitId]),
        [
          [15, 15, 0, false],
          [16, 16, 0, false],
          [20, 20, 0, false],
          [21, 22, 1, false],
          [30, 30, 0, false],
        ],
      );
      for (const r of spec.requirements) assert.match(r.id, /^REQ-[0-9a-f]{6}$/);
      assert.deepEqual(spec.openQuestions.map((q) => [q.text, q.line]), [['Do exports need a digital signature?', 40]]);
      assert.deepEqual(spec.issues, []);
    });

    it('mixed-ids.md: ids in paragraphs, bold, code and with `)`; id-like lines not taken are warned about', async () => {
      const spec = await load(corpus('plain', 'mixed-ids.md'));
      assert.deepEqual(shape(spec), [
        ['FR-001', 7, 7, 0],
        ['FR-002', 9, 9, 0],
        ['FR-003', 10, 10, 0],
        ['R4', 12, 12, 0],
        ['R5', 13, 15, 2],
        ['US1', 19, 26, 2],
        ['US2', 28, 33, 2],
      ]);
      assert.deepEqual(codes(spec), ['warning id_not_taken 37', 'warning id_not_taken 41']);
      assert.match(spec.warnings[0]!, /mixed-ids\.md:37: `FR-099` looks like a requirement id but is not built as one/);
    });

    it('unclear.md: a clarification and US1/US-1 written twice are errors', async () => {
      const spec = await load(corpus('plain', 'unclear.md'));
      assert.deepEqual(codes(spec), ['error unclear 6', 'error duplicate_id 8']);
      await assert.rejects(loadSpec(corpus('plain', 'unclear.md')), /requirement id `US-1` \(the same as `US1`\) is used on both line 7 and line 8/);
    });
  });

  describe('--only', () => {
    it('keeps the requirements named in any spelling, and the tasks they need serving them', async () => {
      const spec = await load(corpus('speckit', 'specs', '001-photo-albums'));
      const { spec: two, unknown } = selectRequirements(spec, ['US2', 'FR-9']);
      assert.deepEqual(unknown, ['FR-9']);
      assert.deepEqual(two.requirements.map((r) => r.id), ['US-2']);
      assert.deepEqual(
        two.tasks!.items.map((t) => [t.id, t.requirements, t.dependsOn]),
        [
          ['T002', ['US-2'], []],
          ['T004', ['US-2'], ['T002']],
          ['T005', ['US-2'], ['T004']],
        ],
        'prerequisites serve the requirement that needs them',
      );
      assert.deepEqual(two.clarifications, [], 'the open question is in FR-006, which is not selected');
    });
  });
});
