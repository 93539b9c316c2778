/**
 * Image URIs: framework + version (+ python version, processor) → ECR URI for a region, from the
 * table generated out of the SageMaker Python SDK's image_uri_config. The steps and their order
 * follow `sagemaker.image_uris.retrieve` (v2.257.6) so a spec yields the URI the SDK would have put
 * in the definition; deliberate differences are listed in docs/images.md.
 */
import generated from './image-uris.generated.json' with { type: 'json' };

export interface ImageRequest {
  framework: string;
  version: string;
  region: string;
  pythonVersion?: string;
  /** cpu | gpu | inf | trn; when absent it is derived from `instanceType` as the SDK does. */
  processor?: string;
  instanceType?: string;
  /**
   * True when the instance type is a pipeline parameter or expression: its value is unknown at
   * compile time, so the processor cannot be derived from it.
   */
  instanceTypeIsExpression?: boolean;
  /** The image's use; the SDK's `image_scope`. Frameworks with a single scope ignore it. */
  scope?: 'training' | 'inference' | 'processing' | 'monitoring';
  /** HuggingFace only: the PyTorch/TensorFlow base, e.g. `pytorch2.0.0` (the SDK's `base_framework_version`). */
  baseFrameworkVersion?: string;
}

export type ImageResult = { uri: string } | { error: string; hint?: string };

/** One version's entry (or one python version's / base framework's entry below it). */
interface VersionConfig {
  repository?: string;
  registries?: number;
  processors?: string[];
  py_versions?: string[];
  container_version?: Record<string, string>;
  sdk_versions?: string[];
  tag_prefix?: string;
  version_aliases?: Record<string, string>;
  [nested: string]: unknown;
}

interface ScopeConfig {
  scope?: string[];
  processors?: string[];
  version_aliases?: Record<string, string>;
  versions: Record<string, VersionConfig>;
}

interface ImageTable {
  partitions: { partition: string; regionRegex: string; dnsSuffix: string }[];
  quirks: {
    gravitonInstanceFamilies: string[];
    gravitonFrameworks: string[];
    trainiumFrameworks: string[];
    arm64Tags: Record<string, Record<string, string>>;
    p4dContainerVersions: Record<string, string>;
  };
  frameworks: Record<string, ScopeConfig | Record<string, ScopeConfig>>;
  registries: Record<string, string>[];
}

// The generated file is produced by scripts/gen-image-uris.mjs with exactly this shape.
const table = generated as unknown as ImageTable;
const partitions = table.partitions.map((p) => ({ ...p, pattern: new RegExp(p.regionRegex) }));

/** Neuron repositories whose tag carries the Neuron SDK version in front of the container version. */
const NEURON_SDK_REPOSITORIES = new Set(['pytorch-training-neuron', 'pytorch-training-neuronx', 'huggingface-vllm-inference-neuronx']);
const HF_NEURON_REPOSITORIES = new Set(['huggingface-pytorch-inference-neuron', 'huggingface-pytorch-inference-neuronx']);

class ImageError extends Error {
  constructor(message: string, readonly hint?: string) {
    super(message);
  }
}

/** Frameworks the generated table covers, sorted. */
export function supportedFrameworks(): string[] {
  // The neuron variants are picked automatically from the instance type, never named by users.
  return Object.keys(table.frameworks).filter((name) => !name.endsWith('-neuron')).sort();
}

/** Resolves an image the way `sagemaker.image_uris.retrieve` does. */
export function resolveImage(request: ImageRequest): ImageResult {
  try {
    return { uri: retrieve(request) };
  } catch (error) {
    if (error instanceof ImageError) return error.hint === undefined ? { error: error.message } : { error: error.message, hint: error.hint };
    throw error;
  }
}

/** The instance family of `ml.<family>.<size>` / `ml_<family>`, or '' (the SDK's `get_instance_type_family`). */
export function instanceTypeFamily(instanceType: string | undefined): string {
  if (instanceType === undefined) return '';
  return /^ml[._]([a-z\d-]+)\.?\w*$/.exec(instanceType)?.[1] ?? '';
}

function retrieve(request: ImageRequest): string {
  const { framework, region } = request;
  const instanceType = request.instanceTypeIsExpression === true ? undefined : request.instanceType;
  const family = instanceTypeFamily(instanceType);
  if (!(framework in table.frameworks) || framework.endsWith('-neuron')) {
    throw new ImageError(`The kit cannot resolve an image for framework "${framework}".`,
      `Supported frameworks: ${supportedFrameworks().join(', ')}; or give the image as an explicit URI.`);
  }

  // pytorch and huggingface have separate Neuron configs chosen by inf*/trn* instances.
  let configName = framework;
  const neuron = (framework === 'huggingface' || table.quirks.trainiumFrameworks.includes(framework))
    && (family.startsWith('inf') || family.startsWith('trn'));
  if (neuron) configName = `${framework}-neuron`;
  const scope = finalScope(framework, family, request.scope);
  checkInstanceFamily(framework, instanceType, family);
  const config = configForScope(configName, scope);

  const version = checkVersion(framework, request.version, config, scope);
  let versionConfig = config.versions[config.version_aliases?.[version] ?? version];
  if (versionConfig === undefined) throw new ImageError(`${framework} ${version} has no entry in the image table.`);

  let basePrefix: string | undefined;
  if (framework === 'huggingface') {
    const chosen = huggingfaceBase(versionConfig, request.baseFrameworkVersion, version);
    versionConfig = chosen.config;
    basePrefix = chosen.tagVersion;
  }

  const pyVersion = checkPythonVersion(framework, version, request.pythonVersion, versionConfig);
  if (pyVersion !== undefined && versionConfig.repository === undefined) {
    versionConfig = (versionConfig[pyVersion] as VersionConfig | undefined) ?? versionConfig;
  }

  const registry = registryFor(framework, version, region, versionConfig);
  const hostname = ecrHostname(region);
  let repository = versionConfig.repository;
  if (repository === undefined) throw new ImageError(`${framework} ${version} has no repository in the image table.`);

  const processor = chooseProcessor(framework, request, instanceType, config.processors ?? versionConfig.processors);

  let containerVersion = processor === undefined ? undefined : versionConfig.container_version?.[processor];
  if (NEURON_SDK_REPOSITORIES.has(repository) || HF_NEURON_REPOSITORIES.has(repository)) {
    containerVersion = `${latest(versionConfig.sdk_versions ?? [])}-${containerVersion ?? ''}`;
  }

  let tagPrefix: string;
  if (framework === 'huggingface') {
    // The SDK tags with the version as requested, even where a one-version config replaced it.
    let tagVersion = request.version;
    if (HF_NEURON_REPOSITORIES.has(repository)) {
      // The Neuron images are tagged with the full transformers and base versions, not the aliases.
      tagVersion = config.version_aliases?.[tagVersion] ?? tagVersion;
      const base = request.baseFrameworkVersion === undefined ? undefined : config.versions[tagVersion]?.version_aliases?.[request.baseFrameworkVersion];
      if (base !== undefined) basePrefix = /^(?:pytorch|tensorflow)(.*)$/.exec(base)?.[1] ?? basePrefix;
    }
    tagPrefix = `${basePrefix ?? ''}-transformers${tagVersion}`;
  } else {
    tagPrefix = versionConfig.tag_prefix ?? version;
  }
  if (repository === `${framework}-inference-graviton`) containerVersion = `${containerVersion ?? ''}-sagemaker`;
  checkDeprecatedInstance(framework, family, version);

  const tag = imageTag({
    framework, scope, family, processor, pyVersion, tagPrefix, version, containerVersion,
    inferenceTool: neuron ? 'neuron' : undefined,
  });
  if (tag !== '') repository += `:${tag}`;
  return `${registry}.dkr.${hostname}/${repository}`;
}

/** Scope after the SDK's adjustments: graviton instances switch to inference_graviton; XGB/SKLearn default to training. */
function finalScope(framework: string, family: string, scope: string | undefined): string | undefined {
  if (table.quirks.gravitonFrameworks.includes(framework) && table.quirks.gravitonInstanceFamilies.includes(family)) {
    return 'inference_graviton';
  }
  if (scope === undefined && (framework === 'xgboost' || framework === 'sklearn')) return 'training';
  return scope;
}

function checkInstanceFamily(framework: string, instanceType: string | undefined, family: string): void {
  const quirks = table.quirks;
  if (instanceType?.includes('trn') === true && !quirks.trainiumFrameworks.includes(framework)) {
    throw new ImageError(`${framework} has no image for Trainium instances (${instanceType}).`,
      `Trainium instances are supported for: ${quirks.trainiumFrameworks.join(', ')}.`);
  }
  if (quirks.gravitonInstanceFamilies.includes(family) && !quirks.gravitonFrameworks.includes(framework)) {
    throw new ImageError(`${framework} has no image for Graviton instances (${instanceType ?? family}).`,
      `Graviton instances are supported for: ${quirks.gravitonFrameworks.join(', ')}.`);
  }
}

function configForScope(configName: string, requested: string | undefined): ScopeConfig {
  const raw = table.frameworks[configName];
  if (raw === undefined) throw new ImageError(`The image table has no entry for ${configName}.`);
  const flat = 'versions' in raw && 'scope' in raw;
  const scopes = flat ? (raw as ScopeConfig).scope ?? [] : Object.keys(raw);
  const framework = configName.replace(/-neuron$/, '');
  let scope = requested;
  // A framework with one scope uses it whatever was asked (the SDK only logs a warning).
  if (scopes.length === 1) scope = scopes[0];
  // The SDK's framework processors (SKLearnProcessor, FrameworkProcessor) run the training image.
  if (scope === 'processing' && !scopes.includes('processing') && scopes.includes('training')) scope = 'training';
  // Built-in algorithms share one image between training and inference.
  if (scope === undefined && flat && scopes.includes('training') && scopes.includes('inference') && scopes.length === 2) scope = scopes[0];
  if (scope === undefined || !scopes.includes(scope)) {
    throw new ImageError(
      scope === undefined ? `${framework} needs an image scope.` : `${framework} has no ${scope.replace('_', ' ')} images.`,
      `${framework} has images for: ${scopes.join(', ')}; set \`imageScope\`.`);
  }
  return flat ? (raw as ScopeConfig) : (raw as Record<string, ScopeConfig>)[scope] as ScopeConfig;
}

function checkVersion(framework: string, version: string, config: ScopeConfig, scope: string | undefined): string {
  const available = Object.keys(config.versions);
  const aliases = config.version_aliases ?? {};
  // One-version images (built-in algorithms, clarify, model monitor) ignore the version, as the SDK does.
  if (available.length === 1 && !(version in aliases)) return available[0] ?? '';
  // Without a version the SDK would pick its newest; the kit asks for one instead, so that a spec
  // keeps resolving to the same image when the table is regenerated from a newer SDK.
  if (version === '' || !(available.includes(version) || version in aliases)) {
    const known = sortVersions([...new Set([...Object.keys(aliases), ...available])]);
    const what = scope === undefined ? '' : ` for ${scope.replace('_', ' ')}`;
    throw new ImageError(
      version === '' ? `${framework} needs a version${what}.` : `${framework} has no version ${version}${what}.`,
      `${framework} supports versions ${known.join(', ')}.`);
  }
  return version;
}

function huggingfaceBase(versionConfig: VersionConfig, requested: string | undefined, version: string): { config: VersionConfig; tagVersion: string } {
  const aliases = versionConfig.version_aliases ?? {};
  const bases = Object.keys(versionConfig).filter((key) => /^(pytorch|tensorflow)\d/.test(key));
  let base = requested;
  // Deliberately friendlier than the SDK: with one base framework there is nothing to choose.
  if (base === undefined && bases.length === 1) base = bases[0];
  const full = base === undefined ? undefined : aliases[base] ?? base;
  const config = full === undefined ? undefined : versionConfig[full] as VersionConfig | undefined;
  if (base === undefined || config === undefined) {
    throw new ImageError(
      base === undefined ? `huggingface ${version} needs a base framework.` : `huggingface ${version} has no base framework ${base}.`,
      `Set \`baseFrameworkVersion\` to one of: ${[...Object.keys(aliases), ...bases].join(', ')}.`);
  }
  // The SDK builds the tag from the base version as the user wrote it, alias or not.
  return { config, tagVersion: /^(?:pytorch|tensorflow)(.*)$/.exec(base)?.[1] ?? '' };
}

function checkPythonVersion(framework: string, version: string, requested: string | undefined, versionConfig: VersionConfig): string | undefined {
  const available = versionConfig.repository !== undefined
    ? versionConfig.py_versions ?? []
    : Object.keys(versionConfig).filter((key) => /^py\d/.test(key));
  if (available.length === 0) return undefined;
  if (requested === undefined && framework === 'spark') return undefined;
  if (requested === undefined && available.length === 1) return available[0];
  if (requested === undefined || !available.includes(requested)) {
    throw new ImageError(
      requested === undefined
        ? `${framework} ${version} has images for several Python versions; say which.`
        : `${framework} ${version} has no image for Python version ${requested}.`,
      `Set \`pythonVersion\` to one of: ${available.join(', ')}.`);
  }
  return requested;
}

function registryFor(framework: string, version: string, region: string, versionConfig: VersionConfig): string {
  const registries = versionConfig.registries === undefined ? undefined : table.registries[versionConfig.registries];
  const account = registries?.[region];
  if (account === undefined) {
    throw new ImageError(`${framework}${version === '' ? '' : ` ${version}`} images are not published in region ${region}.`,
      `Regions with this image: ${Object.keys(registries ?? {}).join(', ')}; or give the image as an explicit URI.`);
  }
  return account;
}

/** ECR hostname for a region: `ecr.<region>.<partition DNS suffix>` (botocore's resolution). */
export function ecrHostname(region: string): string {
  const partition = partitions.find((p) => p.pattern.test(region));
  // botocore falls back to the aws partition for regions it does not know yet.
  return `ecr.${region}.${partition?.dnsSuffix ?? 'amazonaws.com'}`;
}

function chooseProcessor(framework: string, request: ImageRequest, instanceType: string | undefined, available: string[] | undefined): string | undefined {
  if (available === undefined || available.length === 0) return undefined;
  const supported = `${framework} ${request.version} has images for: ${available.join(', ')}.`;
  let processor = request.processor;
  if (processor === undefined) {
    if (available.length === 1 && instanceType === undefined) return available[0];
    if (instanceType === undefined) {
      throw request.instanceTypeIsExpression === true
        ? new ImageError(`The processor of the ${framework} image cannot be derived from an instance type that is only known when the pipeline runs.`,
          `Set \`processor\` (${available.join(' or ')}) on the image.`)
        // Callers that drop a non-literal instance type land here too, so the hint covers both cases.
        : new ImageError(`The ${framework} image comes in ${available.join(' and ')} variants, and no literal instance type says which.`,
          `Set \`processor\` (${available.join(' or ')}) on the image, or give a literal \`instanceType\`.`);
    }
    processor = processorForInstanceType(instanceType, available);
  }
  if (!available.includes(processor)) {
    throw new ImageError(`${framework} ${request.version} has no ${processor} image${instanceType === undefined ? '' : ` (instance type ${instanceType})`}.`, supported);
  }
  return processor;
}

/** Processor the SDK derives from an instance type: family-specific images first, then inf/trn/gpu/cpu. */
export function processorForInstanceType(instanceType: string, available: readonly string[] = []): string {
  if (instanceType.startsWith('local')) return instanceType === 'local' ? 'cpu' : 'gpu';
  if (instanceType.startsWith('neuron')) return 'neuron';
  const family = instanceTypeFamily(instanceType);
  if (family === '') {
    throw new ImageError(`"${instanceType}" is not a SageMaker instance type.`, 'Instance types look like ml.m5.xlarge; see https://aws.amazon.com/sagemaker/pricing/instance-types.');
  }
  if (available.includes(family)) return family;
  if (family.startsWith('inf')) return 'inf';
  if (family.startsWith('trn')) return 'trn';
  return family.startsWith('g') || family.startsWith('p') ? 'gpu' : 'cpu';
}

function checkDeprecatedInstance(framework: string, family: string, version: string): void {
  if (family !== 'p2') return;
  if ((framework === 'pytorch' && compareVersions(version, '1.13') >= 0) || (framework === 'tensorflow' && compareVersions(version, '2.12') >= 0)) {
    throw new ImageError(`P2 instances are not supported by ${framework} ${version} (deprecated from PyTorch 1.13 and TensorFlow 2.12).`,
      'Use a newer GPU family such as ml.g5 or ml.p3.');
  }
}

interface TagInput {
  framework: string;
  scope: string | undefined;
  family: string;
  processor: string | undefined;
  pyVersion: string | undefined;
  tagPrefix: string;
  version: string;
  containerVersion: string | undefined;
  inferenceTool: string | undefined;
}

function imageTag(input: TagInput): string {
  const { framework, scope, family } = input;
  const quirks = table.quirks;
  const graviton = quirks.gravitonInstanceFamilies.includes(family) || scope === 'inference_graviton';
  if ((framework === 'xgboost' || framework === 'sklearn') && graviton) {
    const tag = quirks.arm64Tags[framework]?.[input.version];
    if (tag === undefined) {
      throw new ImageError(`${framework} ${input.version} has no Graviton (arm64) image.`,
        `Graviton images exist for ${framework} ${Object.keys(quirks.arm64Tags[framework] ?? {}).join(', ')}.`);
    }
    return tag;
  }
  const middle = input.inferenceTool ?? input.processor;
  const tag = [input.tagPrefix, middle, input.pyVersion, input.containerVersion].filter((part) => part !== undefined && part !== '').join('-');
  if (framework === 'xgboost' || framework === 'sklearn') return tag;
  // Old DLC versions shipped separate CUDA 11 images for p4d; the SDK picks them automatically.
  const p4d = family === 'p4d' ? quirks.p4dContainerVersions[`${framework}-${tag}`] : undefined;
  return p4d === undefined ? tag : `${tag}-${p4d}`;
}

function latest(versions: readonly string[]): string {
  // The SDK takes the lexicographically greatest entry, not the numerically greatest.
  return [...versions].sort().reverse()[0] ?? '';
}

function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((part) => Number.parseInt(part, 10) || 0);
  const pb = b.split(/[.-]/).map((part) => Number.parseInt(part, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i += 1) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function sortVersions(versions: string[]): string[] {
  return [...versions].sort((a, b) => compareVersions(a, b) || (a < b ? -1 : a > b ? 1 : 0));
}
