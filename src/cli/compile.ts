/** `smpk compile <spec>`: the SageMaker pipeline definition JSON for one spec. */
import { ExitCode } from '../exit-codes.js';
import { compileSpecFile } from '../ops/compile.js';
import { findRepositoryRoot } from '../ops/spec-files.js';
import { diagnosticsToJson, renderDiagnostics } from '../platform/terminal.js';
import type { CliContext } from './context.js';
import { parseCommand, parseFormat, parseKeyValues, UsageError } from './usage.js';

export const compileUsage = `Usage: smpk compile <spec> [-o FILE] [--region R] [--role ARN] [--bucket NAME]
                    [--param K=V]… [--pipeline-name NAME] [--format text|json]

Compiles a spec into the pipeline definition JSON SageMaker receives. Deterministic: the same
spec and code give byte-identical output on every machine.
  -o, --output FILE   write the definition to FILE instead of standard output
  --region R          region for image URIs (default: $AWS_REGION, else us-east-1)
  --role ARN          pipeline role (default: the spec's pipeline.roleArn, else $SMPK_ROLE_ARN)
  --bucket NAME       artifact bucket (default: the spec's pipeline.bucket, else $SMPK_BUCKET)
  --param K=V         override a parameter's default (type-checked against the spec)
  --pipeline-name N   compile under another pipeline name; {name} is the spec's (e.g. {name}-pr-42)
  --format json       print {definition, assets, requiresS3Upload, diagnostics} instead`;

/** Runs `smpk compile`. */
export function compileCommand(args: readonly string[], ctx: CliContext): number {
  const { values, positionals } = parseCommand(args, {
    output: { type: 'string', short: 'o' },
    region: { type: 'string' },
    role: { type: 'string' },
    bucket: { type: 'string' },
    param: { type: 'string', multiple: true },
    'pipeline-name': { type: 'string' },
  });
  if (values.help) {
    ctx.output.out(`${compileUsage}\n`);
    return ExitCode.Success;
  }
  const format = parseFormat(values.format);
  if (positionals.length !== 1) throw new UsageError('compile takes exactly one spec file');
  const file = positionals[0] as string;
  const region = values.region ?? ctx.env.AWS_REGION ?? ctx.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const roleArn = values.role ?? ctx.env.SMPK_ROLE_ARN;
  const bucket = values.bucket ?? ctx.env.SMPK_BUCKET;
  const parameterDefaults = parseKeyValues('--param', values.param);

  const root = findRepositoryRoot(ctx.fs, ctx.fs.cwd());
  const compiled = compileSpecFile({
    fs: ctx.fs,
    root,
    files: ctx.sourceFiles(root),
    file,
    options: {
      region,
      ...(roleArn ? { roleArn } : {}),
      ...(bucket ? { bucket } : {}),
      ...(Object.keys(parameterDefaults).length ? { parameterDefaults } : {}),
      ...(values['pipeline-name'] ? { pipelineName: values['pipeline-name'] } : {}),
    },
  });
  const result = compiled.result;
  if (format === 'json') {
    const body = {
      file,
      ok: compiled.ok,
      ...(compiled.ok && result
        ? {
            definition: result.definition,
            requiresS3Upload: result.requiresS3Upload,
            assets: result.assets.map(({ source, kind, sha256, s3Uri, size }) => ({ source, kind, sha256, s3Uri, size })),
          }
        : {}),
      diagnostics: diagnosticsToJson(compiled.diagnostics),
    };
    const text = `${JSON.stringify(body, null, 2)}\n`;
    if (values.output) ctx.writeFile(values.output, text);
    else ctx.output.out(text);
    return compiled.ok ? ExitCode.Success : ExitCode.InvalidInput;
  }
  ctx.output.err(renderDiagnostics(compiled.diagnostics));
  if (!compiled.ok || !result?.definitionJson) return ExitCode.InvalidInput;
  if (values.output) {
    ctx.writeFile(values.output, `${result.definitionJson}\n`);
    const steps = Array.isArray(result.definition?.Steps) ? result.definition.Steps.length : 0;
    ctx.output.err(
      `wrote ${values.output}: ${steps} top-level step${steps === 1 ? '' : 's'}, ${result.definitionJson.length} characters, ` +
        `${result.assets.length} asset${result.assets.length === 1 ? '' : 's'} to stage` +
        `${result.requiresS3Upload ? ' (over the inline limit: will be uploaded to S3)' : ''}\n`,
    );
  } else {
    ctx.output.out(`${result.definitionJson}\n`);
  }
  return ExitCode.Success;
}
