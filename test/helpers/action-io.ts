/** A fake ActionIO recording everything an action does. */
import type { ActionIO } from '../../src/platform/github.js';
import type { Diagnostic } from '../../src/spec/diagnostics.js';

export function fakeActionIO(inputs: Record<string, string>) {
  const record = {
    outputs: {} as Record<string, string>,
    outputOrder: [] as string[],
    log: [] as string[],
    warnings: [] as string[],
    annotations: [] as Diagnostic[],
    summaries: [] as string[],
    failures: [] as string[],
  };
  const io: ActionIO = {
    input: (n) => (inputs[n] ?? '').trim(),
    lines: (n) => (inputs[n] ?? '').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#')),
    flag: (n, fallback) => (inputs[n] === undefined ? fallback : inputs[n] === 'true'),
    output: (n, v) => {
      record.outputs[n] = v;
      record.outputOrder.push(n);
    },
    info: (l) => record.log.push(l),
    warning: (l) => record.warnings.push(l),
    annotate: (d) => record.annotations.push(d),
    summary: async (md) => {
      record.summaries.push(md);
    },
    fail: (m) => record.failures.push(m),
  };
  return { io, record };
}
