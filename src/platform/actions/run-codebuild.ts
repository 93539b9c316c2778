/** The run-codebuild action: inputs named like aws-actions/aws-codebuild-run-build where sensible. */
import path from 'node:path';
import { resolveRegion } from '../../aws/clients.js';
import { runCodeBuild, type CodeBuildResult } from '../../ops/codebuild.js';
import { escapeMarkdown } from '../markdown.js';
import { InputError, keyValueLines, positiveNumberInput, type ActionIO } from '../github.js';
import type { ActionHost } from './host.js';

/** Runs run-codebuild. */
export async function runCodebuildAction(io: ActionIO, host: ActionHost): Promise<void> {
  const project = io.input('project-name');
  if (!project) throw new InputError('input project-name is required');
  const region = resolveRegion(host.env, io.input('region') || undefined);
  const buildspecPath = io.input('buildspec-override');
  let buildspec: string | undefined;
  if (buildspecPath) {
    const abs = path.resolve(host.fs.cwd(), buildspecPath);
    if (!host.fs.exists(abs)) throw new InputError(`buildspec-override ${buildspecPath} does not exist in the repository`);
    buildspec = host.fs.readText(abs);
  }
  const timeout = positiveNumberInput(io, 'timeout-minutes');
  const sourceVersion = io.input('source-version') || host.env.GITHUB_SHA;
  const clients = host.clients(region);
  let result: CodeBuildResult | undefined;
  let buildId = '';
  try {
    result = await runCodeBuild(
      {
        projectName: project,
        env: keyValueLines(io, 'env-vars-for-codebuild'),
        hideLogs: io.flag('hide-cloudwatch-logs', false),
        ...(io.flag('stop-on-signals', true) ? { signal: host.signal } : {}),
        ...(sourceVersion ? { sourceVersion } : {}),
        ...(buildspec ? { buildspec } : {}),
        ...(timeout !== undefined ? { deadline: host.clock.now() + timeout * 60_000 } : {}),
      },
      {
        codebuild: clients.codebuild,
        logs: clients.logs,
        clock: host.clock,
        random: () => host.random(),
        env: host.env,
        reporter: {
          started: (b) => {
            buildId = b.id ?? '';
            io.output('build-id', buildId);
            io.info(`build started: ${buildId}`);
          },
          log: (line) => io.info(line),
          status: (s) => io.output('build-status', s),
          retrying: (m) => io.warning(m),
        },
      },
    );
    io.output('build-status', result.status ?? result.outcome);
    if (result.outcome !== 'succeeded') io.fail(`CodeBuild build ${result.buildId} ${result.status ?? result.outcome}${result.failure ? `: ${result.failure}` : ''}`);
  } finally {
    if (buildId) {
      await io.summary(
        `### CodeBuild ${escapeMarkdown(project)}: ${escapeMarkdown(result?.status ?? result?.outcome ?? 'did not finish')}\n\nBuild \`${escapeMarkdown(buildId)}\`${result?.failure ? `\n\n**Failure:** ${escapeMarkdown(result.failure)}` : ''}\n`,
      );
    }
  }
}
