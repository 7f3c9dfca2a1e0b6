/** What a heading that is not itself a requirement says about the items under it. */
export type SectionKind =
  | 'requirements'
  | 'success'
  | 'questions'
  | 'not-requirements'
  | 'references'
  | 'added'
  | 'modified'
  | 'removed'
  | 'renamed'
  | 'other';

const KINDS: [SectionKind, RegExp][] = [
  ['added', /^added\s+requirements?$/i],
  ['modified', /^modified\s+requirements?$/i],
  ['removed', /^removed\s+requirements?$/i],
  ['renamed', /^renamed\s+requirements?$/i],
  ['requirements', /^(?:(?:functional|non[- ]?functional|system|software|product|business|technical|user)\s+)?requirements?$/i],
  ['requirements', /^(?:functional|non[- ]?functional)$/i],
  ['success', /^(?:success\s+criteria|measurable\s+outcomes|success\s+metrics)$/i],
  // Lists that cite requirements written elsewhere (BMAD's FR Coverage Map): neither requirements nor worth a warning.
  ['references', /(?:coverage(?:\s+map)?|traceability(?:\s+matrix)?)$/i],
  ['questions', /^(?:open|outstanding|unresolved)\s+questions$|^questions$/i],
  // Sections that sit inside a requirements section in the common templates but hold no requirements.
  [
    'not-requirements',
    /^(?:key\s+entities|entities|edge\s+cases|assumptions?|dependencies|constraints|out\s+of\s+scope|non[- ]goals|notes?|glossary|definitions|risks?|references|examples?|data\s+model|review.*checklist|clarifications?|change\s*log|tasks?(?:\s*\/\s*subtasks)?|subtasks|dev\s+notes|testing|status|file\s+list|qa\s+results|design|implementation(?:\s+notes)?|why\s+this\s+priority|independent\s+test)$/i,
  ],
];

/** "3.2 Functional Requirements *(mandatory)*:" → "Functional Requirements". */
export function sectionName(heading: string): string {
  return heading
    .replace(/^(?:\d+(?:\.\d+)*\.?|[A-Z]\.|[IVX]+\.)\s+/, '')
    .replace(/\s*\([^)]*\)\s*$/, '')
    .replace(/\s*:$/, '')
    .trim();
}

export function sectionKind(heading: string): SectionKind {
  const name = sectionName(heading);
  for (const [kind, pattern] of KINDS) if (pattern.test(name)) return kind;
  return 'other';
}

/** Sub-headings inside a requirement whose lists are not its acceptance criteria (BMAD story files). */
export function holdsNoCriteria(heading: string): boolean {
  return sectionKind(heading) === 'not-requirements';
}
