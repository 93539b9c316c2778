/**
 * The gate's metrics as an OpenMetrics text file for GitLab's merge-request metrics widget
 * (`artifacts: reports: metrics: metrics.txt`), which diffs it against the target branch.
 */
import type { GateResult } from '../ops/gate.js';

/**
 * A metric name OpenMetrics accepts ([a-zA-Z_:][a-zA-Z0-9_:]*): other characters become `_`,
 * runs collapse, lower case; a leading digit gets a `_` in front.
 */
export function metricName(text: string): string {
  let s = text
    .toLowerCase()
    .replace(/[^a-z0-9_:]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (s === '') s = 'metric';
  if (/^[0-9]/.test(s)) s = `_${s}`;
  return s.slice(0, 200);
}

/**
 * One sample per numeric candidate metric (named after its label), the baseline's as
 * `<name>_baseline`, and `smpk_gate_passed` (1 or 0); ends with `# EOF` as OpenMetrics requires.
 */
export function renderOpenMetrics(result: GateResult): string {
  const used = new Set<string>(['smpk_gate_passed']);
  const unique = (name: string) => {
    let n = name;
    for (let i = 2; used.has(n) || used.has(`${n}_baseline`); i += 1) n = `${name}_${i}`;
    used.add(n);
    used.add(`${n}_baseline`);
    return n;
  };
  const lines: string[] = [];
  for (const m of result.metrics) {
    if (m.candidate === undefined) continue;
    const name = unique(metricName(m.label));
    lines.push(`${name} ${m.candidate}`);
    if (m.baseline !== undefined) lines.push(`${name}_baseline ${m.baseline}`);
  }
  lines.push(`smpk_gate_passed ${result.verdict === 'fail' ? 0 : 1}`);
  lines.push('# EOF');
  return `${lines.join('\n')}\n`;
}
