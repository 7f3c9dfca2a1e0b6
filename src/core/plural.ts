/** A count with its noun spelled for it: "1 task", "2 tasks", "0 criteria" (irregular plurals passed in). */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}
