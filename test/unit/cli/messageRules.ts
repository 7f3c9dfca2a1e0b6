/**
 * The rules every message a user can see must keep (issue 11), as checks a test can apply to a
 * command's output: counts spelled for their number, no stack trace, and a next step.
 */

const NOUNS: [string, string][] = [
  ['test file', 'test files'], ['test case', 'test cases'], ['model request', 'model requests'],
  ['task', 'tasks'], ['turn', 'turns'], ['attempt', 'attempts'], ['request', 'requests'], ['file', 'files'],
  ['requirement', 'requirements'], ['criterion', 'criteria'], ['error', 'errors'], ['warning', 'warnings'],
  ['tool', 'tools'], ['hunk', 'hunks'], ['iteration', 'iterations'], ['checkpoint', 'checkpoints'],
  ['build', 'builds'], ['server', 'servers'], ['lesson', 'lessons'], ['assertion', 'assertions'], ['change', 'changes'],
];

/** "1 tasks", "2 task", "1 of 1 test files": each count whose noun is spelled for another number. */
export function miscountedPhrases(text: string): string[] {
  const wrong: string[] = [];
  // In "1 of 2 test files" the noun goes with the 2.
  for (const m of text.matchAll(/\b(\d+)(?: of (\d+))? ([a-z]+(?: [a-z]+)?)/g)) {
    const n = Number(m[2] ?? m[1]);
    const words = m[3];
    const pair = NOUNS.find(([one, many]) => words === one || words === many || words.startsWith(`${one} `) || words.startsWith(`${many} `));
    if (!pair) continue;
    const [one, many] = pair;
    const used = words === many || words.startsWith(`${many} `) ? many : one;
    if ((n === 1) !== (used === one)) wrong.push(m[0]);
  }
  return wrong;
}

/** A JavaScript stack trace, or the CLI's own "unexpected error" fallback. */
export function hasStackTrace(text: string): boolean {
  return /^\s+at .+:\d+:\d+\)?$/m.test(text) || /unexpected error|node:internal/.test(text);
}

/** Words that tell the user what to do next, from "Run …" to "did you mean …". */
const NEXT_STEP =
  /\b(run|use|give|check|add|start|fix|set|remove|leave|write|pass|delete|edit|rename|install|create|choose|allow|raise|wait|retry|resume|listed below|did you mean|is one of|must be)\b|\be\.g\.|`munero [a-z-]+/i;

export function saysWhatToDo(text: string): boolean {
  return NEXT_STEP.test(text);
}
