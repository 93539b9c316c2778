/** `smpk validate <spec…>`: check specs (YAML, schema, semantic rules, compile-time checks). */
import { ExitCode } from '../exit-codes.js';
import { compileSpecFile } from '../ops/compile.js';
import { expandSpecArguments, findRepositoryRoot } from '../ops/spec-files.js';
import { countSummary, diagnosticsToJson, renderDiagnostics } from '../platform/terminal.js';
import type { CliContext } from './context.js';
import { parseCommand, parseFormat, UsageError } from './usage.js';

export const validateUsage = `Usage: smpk validate <spec|dir>… [--region R] [--format text|json]

Checks every spec: YAML syntax and bounds, the JSON Schema, the semantic rules (references, cycles,
types, paths) and everything the compiler checks. Prints every problem as file:line:col.
A directory stands for its *.yaml files. Exit 0 when all are valid, 2 otherwise.`;

/** Runs `smpk validate`. */
export function validateCommand(args: readonly string[], ctx: CliContext): number {
  const { values, positionals } = parseCommand(args, { region: { type: 'string' } });
  if (values.help) {
    ctx.output.out(`${validateUsage}\n`);
    return ExitCode.Success;
  }
  const format = parseFormat(values.format);
  if (positionals.length === 0) throw new UsageError('validate needs at least one spec file or directory');
  const region = values.region ?? ctx.env.AWS_REGION ?? ctx.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const specs = expandSpecArguments(ctx.fs, positionals);
  if (specs.length === 0) throw new UsageError(`no *.yaml specs found in ${positionals.join(', ')}`);

  const results = specs.map((file) => {
    const root = findRepositoryRoot(ctx.fs, ctx.fs.cwd());
    return compileSpecFile({ fs: ctx.fs, root, files: ctx.sourceFiles(root), file, options: { region }, validateOnly: true });
  });
  const all = results.flatMap((r) => r.diagnostics);
  if (format === 'json') {
    const body = results.map((r) => ({ file: r.file, valid: r.ok, diagnostics: diagnosticsToJson(r.diagnostics) }));
    ctx.output.out(`${JSON.stringify(body, null, 2)}\n`);
  } else {
    ctx.output.err(renderDiagnostics(all));
    for (const r of results) ctx.output.out(`${r.ok ? 'valid' : 'invalid'}  ${r.file}\n`);
    ctx.output.out(`${results.length} spec${results.length === 1 ? '' : 's'} checked: ${countSummary(all)}\n`);
  }
  return results.every((r) => r.ok) ? ExitCode.Success : ExitCode.InvalidInput;
}
