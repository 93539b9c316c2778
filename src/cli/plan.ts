/** `smpk plan <spec>`: what `smpk run` would change in the deployed pipeline, changing nothing. */
import { DescribePipelineCommand } from '@aws-sdk/client-sagemaker';
import { resolveRegion } from '../aws/clients.js';
import { unlessNotFound } from '../aws/errors.js';
import { ExitCode } from '../exit-codes.js';
import { diffDefinitions, renderDefinitionDiff } from '../ops/definition-diff.js';
import type { CliContext } from './context.js';
import { compileForDeploy } from './spec-input.js';
import { parseCommand, UsageError } from './usage.js';

export const planUsage = `Usage: smpk plan <spec> [--region R] [--role ARN] [--bucket NAME] [--pipeline-name NAME]

Compiles the spec and prints a readable diff against the deployed pipeline definition
(steps matched by name). Changes nothing. Exit 0 whether or not there are changes.`;

/** Runs `smpk plan`. */
export async function planCommand(args: readonly string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCommand(args, { region: { type: 'string' }, role: { type: 'string' }, bucket: { type: 'string' }, 'pipeline-name': { type: 'string' } });
  if (values.help) {
    ctx.output.out(`${planUsage}\n`);
    return ExitCode.Success;
  }
  if (positionals.length !== 1) throw new UsageError('plan takes exactly one spec file');
  const region = resolveRegion(ctx.env, values.region);
  const compiled = compileForDeploy(ctx, positionals[0] as string, { region, role: values.role, bucket: values.bucket, pipelineName: values['pipeline-name'] });
  if (!compiled) return ExitCode.InvalidInput;
  const name = compiled.result.pipeline.name;
  const described = await unlessNotFound('DescribePipeline', () => ctx.clients(region).sagemaker.send(new DescribePipelineCommand({ PipelineName: name })));
  const deployed = described?.PipelineDefinition;
  if (deployed === undefined) {
    const steps = Array.isArray(compiled.result.definition.Steps) ? compiled.result.definition.Steps.length : 0;
    ctx.output.out(`Pipeline ${name} does not exist yet: smpk run would create it (${steps} top-level steps, ${compiled.result.assets.length} assets).\n`);
    return ExitCode.Success;
  }
  ctx.output.out(`Pipeline ${name}:\n${renderDefinitionDiff(diffDefinitions(JSON.parse(deployed), compiled.result.definition))}`);
  return ExitCode.Success;
}
