/**
 * The spec's `release:` section read into the settings the release needs, with every check that
 * can be made before anything in AWS changes: a role to run the model as, the model package group,
 * the smoke-test payload, and monitoring that has data capture and a quality-check step to take its
 * baseline from. A problem here is invalid input (exit 2): nothing has been approved or deployed.
 */
import path from 'node:path';
import type { PipelineSpec, Release } from '../spec/types.generated.js';
import type { SpecFileSystem } from './spec-files.js';

export type MonitoringKind = 'DataQuality' | 'ModelQuality';

export interface MonitoringSettings {
  kind: MonitoringKind;
  baselineStep: string;
  outputS3Uri: string;
  schedule: string;
  instanceType: string;
  groundTruthS3Uri?: string;
  problemType?: 'BinaryClassification' | 'MulticlassClassification' | 'Regression';
  inferenceAttribute?: string;
  probabilityAttribute?: string;
}

export interface SmokeTestSettings {
  payload: Uint8Array;
  /** Where the payload came from, for the account ("inline" or the file). */
  source: string;
  contentType: string;
  accept?: string;
  expectContains?: string;
}

export interface ReleaseSettings {
  endpointName: string;
  /** Group to pick the newest package from; undefined when the spec names none as plain text. */
  modelPackageGroup?: string;
  roleArn: string;
  release: Release;
  timeoutMinutes: number;
  smokeTest?: SmokeTestSettings;
  monitoring: MonitoringSettings[];
}

/** A release setting that cannot work; nothing was changed in AWS. */
export class ReleaseInputError extends Error {
  override readonly name = 'ReleaseInputError';
}

/** The default group: the spec's register-model step's group, when it is plain text (not an expression). */
export function registeredGroup(spec: PipelineSpec): string | undefined {
  for (const step of spec.steps) {
    const s = step as { type?: unknown; modelPackageGroup?: unknown };
    if (s.type === 'register-model' && typeof s.modelPackageGroup === 'string') return s.modelPackageGroup;
  }
  return undefined;
}

function monitoringSettings(spec: PipelineSpec, release: Release): MonitoringSettings[] {
  const wanted = release.monitoring ?? {};
  const out: MonitoringSettings[] = [];
  const entries: [MonitoringKind, 'data-quality' | 'model-quality', NonNullable<typeof wanted.dataQuality>][] = [];
  if (wanted.dataQuality) entries.push(['DataQuality', 'data-quality', wanted.dataQuality]);
  if (wanted.modelQuality) entries.push(['ModelQuality', 'model-quality', wanted.modelQuality]);
  if (entries.length === 0) return out;
  // Model Monitor reads what the endpoint captured: without capture a schedule would run and find nothing.
  if (!release.dataCapture || release.dataCapture.enabled === false) {
    throw new ReleaseInputError(
      `release.monitoring asks for ${entries.map(([k]) => k).join(' and ')} monitoring, but the endpoint has no data capture; add release.dataCapture (destinationS3Uri, samplingPercentage) or remove release.monitoring.`,
    );
  }
  if (release.dataCapture.captureModes && !release.dataCapture.captureModes.includes('Input')) {
    throw new ReleaseInputError('release.monitoring needs captured requests: release.dataCapture.captureModes must include Input.');
  }
  if (wanted.modelQuality && release.dataCapture.captureModes && !release.dataCapture.captureModes.includes('Output')) {
    throw new ReleaseInputError('model-quality monitoring compares predictions with ground truth: release.dataCapture.captureModes must include Output.');
  }
  for (const [kind, checkType, m] of entries) {
    const step = spec.steps.find((s) => (s as { name?: unknown }).name === m.baselineStep) as { type?: unknown; checkType?: unknown } | undefined;
    if (!step) throw new ReleaseInputError(`release.monitoring baselineStep ${JSON.stringify(m.baselineStep)} is not a step of this spec.`);
    if (step.type !== 'quality-check' || step.checkType !== checkType) {
      throw new ReleaseInputError(`release.monitoring baselineStep ${JSON.stringify(m.baselineStep)} must be a quality-check step with checkType ${checkType}.`);
    }
    const s: MonitoringSettings = {
      kind,
      baselineStep: m.baselineStep,
      outputS3Uri: m.outputS3Uri,
      schedule: m.schedule ?? 'cron(0 * ? * * *)',
      instanceType: m.instanceType ?? 'ml.m5.xlarge',
    };
    if (typeof m.groundTruthS3Uri === 'string') s.groundTruthS3Uri = m.groundTruthS3Uri;
    if (m.problemType === 'BinaryClassification' || m.problemType === 'MulticlassClassification' || m.problemType === 'Regression') s.problemType = m.problemType;
    if (typeof m.inferenceAttribute === 'string') s.inferenceAttribute = m.inferenceAttribute;
    if (typeof m.probabilityAttribute === 'string') s.probabilityAttribute = m.probabilityAttribute;
    out.push(s);
  }
  return out;
}

function smokeTestSettings(release: Release, fs: SpecFileSystem, specFile: string, root: string): SmokeTestSettings | undefined {
  const t = release.smokeTest;
  if (!t) return undefined;
  let payload: Uint8Array;
  let source = 'inline payload';
  if (typeof t.payloadFile === 'string') {
    const file = path.resolve(path.dirname(path.resolve(fs.cwd(), specFile)), t.payloadFile);
    // The payload is read from the repository only: a spec cannot make the release read /etc/passwd.
    const rel = path.relative(root, file);
    if (rel.startsWith('..') || path.isAbsolute(rel)) throw new ReleaseInputError(`release.smokeTest.payloadFile ${t.payloadFile} lies outside the repository.`);
    if (!fs.exists(file) || fs.isDirectory(file)) throw new ReleaseInputError(`release.smokeTest.payloadFile ${t.payloadFile} does not exist (it is relative to the spec file).`);
    payload = new TextEncoder().encode(fs.readText(file));
    source = t.payloadFile;
  } else {
    payload = new TextEncoder().encode(typeof t.payload === 'string' ? t.payload : '');
  }
  return {
    payload,
    source,
    contentType: typeof t.contentType === 'string' ? t.contentType : 'text/csv',
    ...(typeof t.accept === 'string' ? { accept: t.accept } : {}),
    ...(typeof t.expectContains === 'string' ? { expectContains: t.expectContains } : {}),
  };
}

/**
 * The least time a blue/green update takes: CANARY bakes once, LINEAR once per step but the last,
 * plus the termination wait (the defaults are those of ops/deploy.ts).
 */
export function blueGreenMinimumSeconds(release: Release): number {
  const bg = release.deployment?.blueGreen;
  if (!bg) return 0;
  const type = bg.trafficRouting ?? 'ALL_AT_ONCE';
  const wait = bg.waitIntervalInSeconds ?? (type === 'ALL_AT_ONCE' ? 0 : 300);
  const steps = type === 'CANARY' ? 1 : type === 'LINEAR' ? Math.ceil(100 / (bg.linearStepPercent ?? 20)) - 1 : 0;
  return steps * wait + (bg.terminationWaitInSeconds ?? 0);
}

/** Reads and checks the release section; throws ReleaseInputError naming what to fix. */
export function releaseSettings(input: {
  spec: PipelineSpec;
  specFile: string;
  fs: SpecFileSystem;
  root: string;
  env: Readonly<Record<string, string | undefined>>;
  roleFlag?: string;
}): ReleaseSettings {
  const { spec } = input;
  const release = spec.release;
  if (!release) throw new ReleaseInputError(`${input.specFile} has no release: section; add one (endpointName, instanceType or serverless) to deploy from it.`);
  const roleArn = release.roleArn ?? input.roleFlag ?? spec.pipeline.roleArn ?? input.env.SMPK_ROLE_ARN;
  if (!roleArn) throw new ReleaseInputError('No role for the SageMaker model: set release.roleArn or pipeline.roleArn in the spec, SMPK_ROLE_ARN, or --role.');
  if (release.asyncInference && release.serverless) throw new ReleaseInputError('release.asyncInference and release.serverless cannot be combined: SageMaker runs asynchronous inference on instances only.');
  const timeoutMinutes = release.timeoutMinutes ?? 60;
  const bakeSeconds = blueGreenMinimumSeconds(release);
  if (bakeSeconds > timeoutMinutes * 60) {
    // The wait would give up (exit 4) before the deployment could possibly finish.
    throw new ReleaseInputError(
      `release.deployment.blueGreen waits at least ${bakeSeconds} s (traffic steps and termination wait), longer than release.timeoutMinutes (${timeoutMinutes}); raise timeoutMinutes or shorten the waits.`,
    );
  }
  const group = release.modelPackageGroup ?? registeredGroup(spec);
  const smokeTest = smokeTestSettings(release, input.fs, input.specFile, input.root);
  return {
    endpointName: release.endpointName,
    ...(group ? { modelPackageGroup: group } : {}),
    roleArn,
    release,
    timeoutMinutes,
    ...(smokeTest ? { smokeTest } : {}),
    monitoring: monitoringSettings(spec, release),
  };
}
