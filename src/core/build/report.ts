import { describePlanDiff, diffPlans } from '../loop/planDiff';
import type { BuildState } from '../state/buildState';
import { breakdownSection } from '../metrics/reportSection';
import type { BuildBreakdown } from '../metrics/types';
import { plural } from '../plural';

const VERDICT = { verified: '✅ verified', 'passed-untraced': '☑️ passed, untraced', unverified: '⬜ unverified', failed: '❌ failed' } as const;

/** A build's report as markdown: what a person reads after (or during) a build; with its breakdown (BuildManager.breakdown()), where the time and money went. */
export function buildReport(state: BuildState, breakdown?: BuildBreakdown): string {
  const u = state.usage;
  const lines = [
    `# Munero build ${state.id}`,
    '',
    `- **Outcome:** ${state.status}${state.stopReason ? ` — ${state.stopReason}` : ''}`,
    `- **Spec:** ${state.specPath}`,
    `- **Model:** ${state.options.model}; iteration ${state.iteration} of ${state.options.maxIterations}` +
      (state.options.maxCostUsd !== undefined ? `; cost cap $${state.options.maxCostUsd.toFixed(2)}` : ''),
    `- **Review:** ${state.options.reviewMode ?? 'auto'}`,
    `- **Sandbox:** ${state.sandbox ? `${state.sandbox.kind === 'on' ? 'on' : '**OFF**'} — ${state.sandbox.detail}` : 'not recorded (a build from before sandboxing)'}`,
    `- **Usage:** ${plural(u.requests, 'request')}; ${u.inputTokens} input, ${u.cacheReadTokens} cache-read, ${u.cacheWriteTokens} cache-write, ${u.outputTokens} output tokens; $${u.costUsd.toFixed(4)}`,
    '',
    '## Requirements',
    '',
    '| id | verdict | requirement | tests that prove it | why |',
    '| --- | --- | --- | --- | --- |',
    ...state.requirements.map(
      (r) => `| ${r.id} | ${VERDICT[r.verdict]} | ${cell(r.title)} | ${cell((r.tests ?? []).map((t) => `\`${t}\``).join('<br>'))} | ${cell(r.verifiedBy ? `verified by ${r.verifiedBy}` : (r.reason ?? ''))} |`,
    ),
    '',
    '## Tasks',
    '',
    '| task | status | attempts | serves | summary or last failure |',
    '| --- | --- | --- | --- | --- |',
    ...(state.plan?.tasks ?? []).map((t) => {
      const ts = state.tasks[t.id];
      const note = ts?.status === 'done' ? ts.summary : ts?.status === 'escalated' ? `escalated: ${ts.escalated}` : ts?.failureHeadline;
      return `| ${t.id} ${cell(t.title)} | ${ts?.status ?? 'pending'} | ${ts?.attempts ?? 0} | ${t.requirements.join(', ')} | ${cell(note ?? '')} |`;
    }),
  ];
  if (state.iterations?.length) {
    lines.push('', '## Iterations', '', '| iteration | tasks | checks | cost so far |', '| --- | --- | --- | --- |');
    for (const it of state.iterations) {
      const tasks = Object.entries(it.tasks).map(([id, status]) => `${id} ${status}`).join(', ');
      lines.push(`| ${it.iteration} | ${tasks} | ${it.checksPassed ? 'passed' : 'failed'} | $${it.costUsd.toFixed(4)} |`);
    }
  }
  const history = state.planHistory ?? [];
  if (history.length > 1) {
    lines.push('', '## How the plan changed', '');
    for (let i = 1; i < history.length; i++) {
      const d = diffPlans(history[i - 1].tasks, history[i].tasks);
      lines.push(`- **v${history[i].version}** (${describePlanDiff(d)}): ${cell(history[i].reason)}`);
    }
  }
  const reflections = Object.entries(state.tasks).flatMap(([id, t]) => (t.reflections ?? []).map((r) => ({ id, ...r })));
  if (reflections.length) {
    lines.push('', '## Reflections', '');
    for (const r of reflections) lines.push(`- **${r.id}**, attempt ${r.attempt} → ${r.next_action}: ${cell(r.root_cause)} *Lesson:* ${cell(r.lesson)}`);
  }
  if (state.lastChecks?.length) {
    lines.push('', '## Last checks', '');
    for (const c of state.lastChecks) {
      lines.push(`- \`${c.command}\`: ${c.passed ? 'passed' : `failed (exit ${c.exitCode})`} in ${(c.durationMs / 1000).toFixed(1)} s`);
      for (const f of c.failures.slice(0, 20)) lines.push(`  - ${f.name}${f.file ? ` (${f.file}${f.line ? `:${f.line}` : ''})` : ''}: ${cell(f.message.split('\n')[0])}`);
    }
  }
  lines.push(...judgeSection(state));
  if (breakdown) lines.push(...breakdownSection(breakdown));
  const agents = Object.entries(state.usageByAgent);
  if (agents.length) {
    lines.push('', '## Agents', '', '| agent | requests | tokens in / out | cost |', '| --- | --- | --- | --- |');
    for (const [id, a] of agents) {
      lines.push(`| ${id} | ${a.requests} | ${a.inputTokens + a.cacheReadTokens + a.cacheWriteTokens} / ${a.outputTokens} | $${a.costUsd.toFixed(4)} |`);
    }
  }
  lines.push('', `Checkpoints: ${['start', ...state.checkpoints].join(', ')}`, '');
  return lines.join('\n');
}

/** The frozen judge (what runs, and where it came from) and every test change flagged against it. */
function judgeSection(state: BuildState): string[] {
  const judge = state.judge;
  if (!judge) return [];
  const lines = ['', '## Judge', '', `Frozen at the start (${judge.frozenAt}); agents' changes to scripts or runner configuration do not change it.`, ''];
  for (const c of judge.checks) {
    const when = c.pending ? 'not yet recorded: its script did not exist at the start; from' : c.frozenLater ? `recorded after its first run (${c.frozenLater.scope}) from` : 'recorded at the start from';
    const where = `${when} ${c.source}`;
    lines.push(`- **${c.name}:** \`${c.run}\`${c.run !== c.command ? ` for \`${c.command}\`` : ''} — ${where}`);
  }
  if (judge.testPending) lines.push('- **test:** none at the start; the first check run that finds one freezes it');
  const tests = Object.keys(judge.testFiles).length;
  lines.push(`- ${plural(tests, 'test file')} recorded${judge.testFilesCapped ? ' (more exist; only these are watched)' : ''}; configuration watched: ${Object.keys(judge.config).join(', ') || 'none'}`);
  if (judge.flags.length) {
    lines.push('', '## Test changes', '', '| file | change | task | status |', '| --- | --- | --- | --- |');
    for (const f of judge.flags) {
      const status = f.approved ? `approved (${f.approved.by === 'user' ? 'by you' : '--allow-test-changes'})` : f.restored ? 'undone' : 'awaiting approval: what it covers stays unverified';
      lines.push(`| ${cell(f.file)} | ${cell(f.change)} | ${f.taskId ?? 'unknown'} | ${status} |`);
    }
  }
  return lines;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
