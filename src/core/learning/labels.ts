import { plural } from '../plural';

const LABELS: [RegExp, string][] = [
  [/cannot find (?:module|package)|err_module_not_found|module not found|failed to resolve import/, 'missing import'],
  [/is not a function|is not defined|cannot find name|is not a constructor/, 'undefined name'],
  [/assertionerror|expected values to be|expected .* to (?:equal|be|deep|have)/, 'assertion failure'],
  [/\bts(?:\d+|<n>)\b|is not assignable to|type error/, 'type error'],
  [/\benoent\b|no such file or directory/, 'missing file'],
  [/timed? ?out|timeout/, 'timeout'],
];

/** A short human name for a failure, for lines like "missing import seen in 3 tasks". */
export function failureLabel(text: string): string {
  const lower = text.toLowerCase();
  for (const [pattern, label] of LABELS) if (pattern.test(lower)) return label;
  return lower.split(/\s+/).filter(Boolean).slice(0, 6).join(' ');
}

export function describeRecurring(failure: { label: string; taskCount: number }): string {
  return `${failure.label} seen in ${plural(failure.taskCount, 'task')}`;
}
