import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import table from '../../../src/compiler/image-uris.generated.json' with { type: 'json' };
import { ecrHostname, processorForInstanceType, resolveImage, supportedFrameworks, type ImageRequest } from '../../../src/compiler/images.js';

/** The extracted SDK the table was generated from, when present on this machine. */
const SDK_CONFIG = '/tmp/sdk/src/sagemaker/image_uri_config';

// Expected URIs are what the SageMaker Python SDK v2.257.6 returns for the same arguments. Those
// marked "SDK test" appear literally in the SDK's unit tests (tests/unit/sagemaker/...); the others
// were produced by running the SDK's own image_uris.retrieve on the same arguments.
const cases: [string, ImageRequest, string][] = [
  // DLC frameworks, aliases, cpu/gpu
  ['SDK test: pytorch training gpu', { framework: 'pytorch', version: '1.10.0', pythonVersion: 'py38', instanceType: 'ml.p3.2xlarge', region: 'us-west-2', scope: 'training' },
    '763104351884.dkr.ecr.us-west-2.amazonaws.com/pytorch-training:1.10.0-gpu-py38'],
  ['SDK test: pytorch training cpu', { framework: 'pytorch', version: '1.9.0', pythonVersion: 'py38', instanceType: 'ml.c4.xlarge', region: 'us-west-2', scope: 'training' },
    '763104351884.dkr.ecr.us-west-2.amazonaws.com/pytorch-training:1.9.0-cpu-py38'],
  ['SDK test: pytorch inference cpu', { framework: 'pytorch', version: '2.0.1', pythonVersion: 'py310', instanceType: 'ml.m5.xlarge', region: 'us-west-2', scope: 'inference' },
    '763104351884.dkr.ecr.us-west-2.amazonaws.com/pytorch-inference:2.0.1-cpu-py310'],
  ['SDK test: pytorch inference gpu', { framework: 'pytorch', version: '1.10.0', pythonVersion: 'py38', instanceType: 'ml.g4dn.xlarge', region: 'us-west-2', scope: 'inference' },
    '763104351884.dkr.ecr.us-west-2.amazonaws.com/pytorch-inference:1.10.0-gpu-py38'],
  ['SDK test: pytorch in me-central-1', { framework: 'pytorch', version: '1.10.0', pythonVersion: 'py38', instanceType: 'ml.p3.2xlarge', region: 'me-central-1', scope: 'training' },
    '914824155844.dkr.ecr.me-central-1.amazonaws.com/pytorch-training:1.10.0-gpu-py38'],
  ['SDK test: pytorch in il-central-1', { framework: 'pytorch', version: '1.10.0', pythonVersion: 'py38', instanceType: 'ml.m5.large', region: 'il-central-1', scope: 'inference' },
    '780543022126.dkr.ecr.il-central-1.amazonaws.com/pytorch-inference:1.10.0-cpu-py38'],
  ['alias 1.13 keeps the alias in the tag (china)', { framework: 'pytorch', version: '1.13', pythonVersion: 'py39', instanceType: 'ml.p3.2xlarge', region: 'cn-north-1', scope: 'training' },
    '727897471807.dkr.ecr.cn-north-1.amazonaws.com.cn/pytorch-training:1.13-gpu-py39'],
  ['alias 2.1, g5 is gpu (gov)', { framework: 'pytorch', version: '2.1', pythonVersion: 'py310', instanceType: 'ml.g5.xlarge', region: 'us-gov-west-1', scope: 'training' },
    '442386744353.dkr.ecr.us-gov-west-1.amazonaws.com/pytorch-training:2.1-gpu-py310'],
  ['only python version is the default', { framework: 'pytorch', version: '2.1', instanceType: 'ml.m5.xlarge', region: 'us-west-2', scope: 'training' },
    '763104351884.dkr.ecr.us-west-2.amazonaws.com/pytorch-training:2.1-cpu-py310'],
  ['SDK test: tensorflow training cpu', { framework: 'tensorflow', version: '1.15.2', pythonVersion: 'py3', instanceType: 'ml.c4.xlarge', region: 'us-west-2', scope: 'training' },
    '763104351884.dkr.ecr.us-west-2.amazonaws.com/tensorflow-training:1.15.2-cpu-py3'],
  ['tensorflow inference has no python in the tag (china)', { framework: 'tensorflow', version: '2.13', instanceType: 'ml.c5.xlarge', region: 'cn-northwest-1', scope: 'inference' },
    '727897471807.dkr.ecr.cn-northwest-1.amazonaws.com.cn/tensorflow-inference:2.13-cpu'],
  ['SDK test: mxnet inference', { framework: 'mxnet', version: '1.6.0', pythonVersion: 'py3', instanceType: 'ml.c4.xlarge', region: 'us-west-2', scope: 'inference' },
    '763104351884.dkr.ecr.us-west-2.amazonaws.com/mxnet-inference:1.6.0-cpu-py3'],
  // p4d container versions and Trainium
  ['SDK test: tensorflow 2.3 on p4d', { framework: 'tensorflow', version: '2.3', pythonVersion: 'py37', instanceType: 'ml.p4d.24xlarge', region: 'us-west-2', scope: 'training' },
    '763104351884.dkr.ecr.us-west-2.amazonaws.com/tensorflow-training:2.3-gpu-py37-cu110-ubuntu18.04-v3'],
  ['SDK test: pytorch 1.6 on p4d', { framework: 'pytorch', version: '1.6', pythonVersion: 'py3', instanceType: 'ml.p4d.24xlarge', region: 'us-west-2', scope: 'training' },
    '763104351884.dkr.ecr.us-west-2.amazonaws.com/pytorch-training:1.6-gpu-py3-cu110-ubuntu18.04-v3'],
  ['SDK test: pytorch on trn1 uses the Neuron image', { framework: 'pytorch', version: '1.11.0', pythonVersion: 'py38', instanceType: 'ml.trn1.2xlarge', region: 'us-east-1', scope: 'training' },
    '763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training-neuron:1.11.0-neuron-py38-sdk2.4.0-ubuntu20.04'],
  // HuggingFace
  ['SDK test: huggingface training', { framework: 'huggingface', version: '4.28.1', baseFrameworkVersion: 'pytorch2.0.0', pythonVersion: 'py310', instanceType: 'ml.g5.xlarge', region: 'us-west-2', scope: 'training' },
    '763104351884.dkr.ecr.us-west-2.amazonaws.com/huggingface-pytorch-training:2.0.0-transformers4.28.1-gpu-py310-cu118-ubuntu20.04'],
  ['SDK test: huggingface training in ap-east-1', { framework: 'huggingface', version: '4.28.1', baseFrameworkVersion: 'pytorch2.0.0', pythonVersion: 'py310', instanceType: 'ml.p3.2xlarge', region: 'ap-east-1', scope: 'training' },
    '871362719292.dkr.ecr.ap-east-1.amazonaws.com/huggingface-pytorch-training:2.0.0-transformers4.28.1-gpu-py310-cu118-ubuntu20.04'],
  ['SDK test: huggingface training in china', { framework: 'huggingface', version: '4.28.1', baseFrameworkVersion: 'pytorch2.0.0', pythonVersion: 'py310', instanceType: 'ml.p3.2xlarge', region: 'cn-north-1', scope: 'training' },
    '727897471807.dkr.ecr.cn-north-1.amazonaws.com.cn/huggingface-pytorch-training:2.0.0-transformers4.28.1-gpu-py310-cu118-ubuntu20.04'],
  ['huggingface inference with aliases', { framework: 'huggingface', version: '4.26', baseFrameworkVersion: 'pytorch1.13', pythonVersion: 'py39', instanceType: 'ml.g4dn.xlarge', region: 'us-west-2', scope: 'inference' },
    '763104351884.dkr.ecr.us-west-2.amazonaws.com/huggingface-pytorch-inference:1.13-transformers4.26-gpu-py39-cu117-ubuntu20.04'],
  // SKLearn and XGBoost: their own tag formats, scope defaults to training
  ['SDK test: sklearn 0.23-1', { framework: 'sklearn', version: '0.23-1', pythonVersion: 'py3', instanceType: 'ml.m5.xlarge', region: 'us-west-2' },
    '246618743249.dkr.ecr.us-west-2.amazonaws.com/sagemaker-scikit-learn:0.23-1-cpu-py3'],
  ['sklearn 1.2-1 in gov', { framework: 'sklearn', version: '1.2-1', instanceType: 'ml.m5.xlarge', region: 'us-gov-west-1', scope: 'training' },
    '414596584902.dkr.ecr.us-gov-west-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3'],
  ['sklearn in us-iso-east-1 (c2s.ic.gov)', { framework: 'sklearn', version: '1.2-1', instanceType: 'ml.m5.xlarge', region: 'us-iso-east-1', scope: 'processing' },
    '833128469047.dkr.ecr.us-iso-east-1.c2s.ic.gov/sagemaker-scikit-learn:1.2-1-cpu-py3'],
  ['sklearn in us-isob-east-1 (sc2s.sgov.gov)', { framework: 'sklearn', version: '1.0-1', instanceType: 'ml.m5.xlarge', region: 'us-isob-east-1' },
    '281123927165.dkr.ecr.us-isob-east-1.sc2s.sgov.gov/sagemaker-scikit-learn:1.0-1-cpu-py3'],
  ['SDK test: xgboost 1.7-1', { framework: 'xgboost', version: '1.7-1', instanceType: 'ml.m5.xlarge', region: 'us-west-2', scope: 'training' },
    '246618743249.dkr.ecr.us-west-2.amazonaws.com/sagemaker-xgboost:1.7-1'],
  ['xgboost 1.7-1 in china', { framework: 'xgboost', version: '1.7-1', instanceType: 'ml.m5.xlarge', region: 'cn-northwest-1', scope: 'inference' },
    '451049120500.dkr.ecr.cn-northwest-1.amazonaws.com.cn/sagemaker-xgboost:1.7-1'],
  ['xgboost 1.7-1 in gov east', { framework: 'xgboost', version: '1.7-1', instanceType: 'ml.m5.xlarge', region: 'us-gov-east-1' },
    '237065988967.dkr.ecr.us-gov-east-1.amazonaws.com/sagemaker-xgboost:1.7-1'],
  ['xgboost built-in algorithm "latest"', { framework: 'xgboost', version: 'latest', region: 'us-west-2', scope: 'training' },
    '433757028032.dkr.ecr.us-west-2.amazonaws.com/xgboost:latest'],
  // Graviton
  ['SDK test: xgboost on Graviton', { framework: 'xgboost', version: '1.5-1', instanceType: 'ml.c6g.xlarge', region: 'us-west-2', scope: 'inference' },
    '246618743249.dkr.ecr.us-west-2.amazonaws.com/sagemaker-xgboost:1.5-1-arm64'],
  ['SDK test: sklearn on Graviton', { framework: 'sklearn', version: '1.0-1', instanceType: 'ml.m6g.xlarge', region: 'us-west-2', scope: 'inference' },
    '246618743249.dkr.ecr.us-west-2.amazonaws.com/sagemaker-scikit-learn:1.0-1-arm64-cpu-py3'],
  ['pytorch on Graviton', { framework: 'pytorch', version: '2.1', pythonVersion: 'py310', instanceType: 'ml.c6g.xlarge', region: 'us-west-2', scope: 'inference' },
    '763104351884.dkr.ecr.us-west-2.amazonaws.com/pytorch-inference-graviton:2.1-cpu-py310-ubuntu20.04-sagemaker'],
  // Processing, monitoring, clarify, algorithms
  ['spark 3.3 (one python version: none in the tag)', { framework: 'spark', version: '3.3', region: 'us-east-1', scope: 'processing' },
    '173754725891.dkr.ecr.us-east-1.amazonaws.com/sagemaker-spark-processing:3.3-cpu'],
  ['spark 3.5 py312 in gov', { framework: 'spark', version: '3.5', pythonVersion: 'py312', region: 'us-gov-west-1' },
    '271483468897.dkr.ecr.us-gov-west-1.amazonaws.com/sagemaker-spark-processing:3.5-cpu-py312'],
  ['model monitor us-east-1', { framework: 'model-monitor', version: '', region: 'us-east-1' },
    '156813124566.dkr.ecr.us-east-1.amazonaws.com/sagemaker-model-monitor-analyzer'],
  ['model monitor eu-west-1', { framework: 'model-monitor', version: '', region: 'eu-west-1' },
    '468650794304.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-model-monitor-analyzer'],
  ['model monitor cn-north-1', { framework: 'model-monitor', version: '', region: 'cn-north-1' },
    '453000072557.dkr.ecr.cn-north-1.amazonaws.com.cn/sagemaker-model-monitor-analyzer'],
  ['model monitor cn-northwest-1', { framework: 'model-monitor', version: '', region: 'cn-northwest-1' },
    '453252182341.dkr.ecr.cn-northwest-1.amazonaws.com.cn/sagemaker-model-monitor-analyzer'],
  ['model monitor us-isof-east-1 (csp.hci.ic.gov)', { framework: 'model-monitor', version: '', region: 'us-isof-east-1', scope: 'monitoring' },
    '853188333426.dkr.ecr.us-isof-east-1.csp.hci.ic.gov/sagemaker-model-monitor-analyzer'],
  ['SDK test: clarify us-west-2', { framework: 'clarify', version: '1.0', region: 'us-west-2' },
    '306415355426.dkr.ecr.us-west-2.amazonaws.com/sagemaker-clarify-processing:1.0'],
  ['clarify cn-north-1', { framework: 'clarify', version: '1.0', region: 'cn-north-1' },
    '122526803553.dkr.ecr.cn-north-1.amazonaws.com.cn/sagemaker-clarify-processing:1.0'],
  ['clarify us-gov-west-1', { framework: 'clarify', version: '1.0', region: 'us-gov-west-1', scope: 'processing' },
    '598674086554.dkr.ecr.us-gov-west-1.amazonaws.com/sagemaker-clarify-processing:1.0'],
  ['clarify ap-south-1', { framework: 'clarify', version: '1.0', region: 'ap-south-1' },
    '452307495513.dkr.ecr.ap-south-1.amazonaws.com/sagemaker-clarify-processing:1.0'],
  ['linear-learner (one version: any given version is ignored)', { framework: 'linear-learner', version: '', region: 'us-east-1', scope: 'training' },
    '382416733822.dkr.ecr.us-east-1.amazonaws.com/linear-learner:1'],
  ['linear-learner in china', { framework: 'linear-learner', version: '1', region: 'cn-north-1', scope: 'inference' },
    '390948362332.dkr.ecr.cn-north-1.amazonaws.com.cn/linear-learner:1'],
];

describe('resolveImage', () => {
  it.each(cases)('%s', (_name, request, expected) => {
    expect(resolveImage(request)).toEqual({ uri: expected });
  });

  it('takes an explicit processor over the instance type, and needs one when the instance type is an expression', () => {
    const base = { framework: 'pytorch', version: '2.1', pythonVersion: 'py310', region: 'us-west-2', scope: 'training' } as const;
    expect(resolveImage({ ...base, instanceTypeIsExpression: true, processor: 'gpu' }))
      .toEqual({ uri: '763104351884.dkr.ecr.us-west-2.amazonaws.com/pytorch-training:2.1-gpu-py310' });
    const result = resolveImage({ ...base, instanceType: '{"Get":"Parameters.TrainingInstance"}', instanceTypeIsExpression: true });
    expect(result).toEqual({
      error: 'The processor of the pytorch image cannot be derived from an instance type that is only known when the pipeline runs.',
      hint: 'Set `processor` (cpu or gpu) on the image.',
    });
  });

  it('asks for a processor when there is no literal instance type', () => {
    expect(resolveImage({ framework: 'tensorflow', version: '2.13', region: 'us-west-2', scope: 'inference' })).toEqual({
      error: 'The tensorflow image comes in cpu and gpu variants, and no literal instance type says which.',
      hint: 'Set `processor` (cpu or gpu) on the image, or give a literal `instanceType`.',
    });
  });

  it('uses the only processor when an image has one, even with an expression instance type', () => {
    expect(resolveImage({ framework: 'sklearn', version: '1.2-1', region: 'eu-west-1', instanceTypeIsExpression: true }))
      .toEqual({ uri: '141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3' });
  });

  it('lists the supported versions when a version is unknown', () => {
    const result = resolveImage({ framework: 'pytorch', version: '3.9', pythonVersion: 'py310', instanceType: 'ml.m5.xlarge', region: 'us-west-2', scope: 'training' });
    expect(result).toMatchObject({ error: 'pytorch has no version 3.9 for training.' });
    const hint = 'hint' in result ? result.hint ?? '' : '';
    expect(hint).toMatch(/^pytorch supports versions 0\.4, 0\.4\.0, 1\.0, 1\.0\.0, .*1\.13, 1\.13\.1, 2\.0, 2\.0\.0, 2\.0\.1, 2\.1, 2\.1\.0, /);
  });

  it('asks for the python version when there are several', () => {
    expect(resolveImage({ framework: 'pytorch', version: '1.8', instanceType: 'ml.m5.xlarge', region: 'us-west-2', scope: 'training' })).toEqual({
      error: 'pytorch 1.8 has images for several Python versions; say which.',
      hint: 'Set `pythonVersion` to one of: py3, py36.',
    });
  });

  it('rejects an unsupported processor with the supported ones', () => {
    expect(resolveImage({ framework: 'sklearn', version: '1.2-1', instanceType: 'ml.p3.2xlarge', region: 'us-west-2' })).toEqual({
      error: 'sklearn 1.2-1 has no gpu image (instance type ml.p3.2xlarge).',
      hint: 'sklearn 1.2-1 has images for: cpu.',
    });
  });

  it('names the regions that have the image', () => {
    const result = resolveImage({ framework: 'model-monitor', version: '', region: 'us-gov-west-1' });
    expect(result).toMatchObject({ error: 'model-monitor images are not published in region us-gov-west-1.' });
    expect('hint' in result && result.hint).toMatch(/^Regions with this image: af-south-1, .*cn-north-1, .*us-west-2; or give the image as an explicit URI\.$/);
  });

  it('rejects unknown frameworks, missing scopes and retired instance families', () => {
    expect(resolveImage({ framework: 'chainer', version: '5.0.0', region: 'us-west-2' })).toMatchObject({ error: 'The kit cannot resolve an image for framework "chainer".' });
    expect(resolveImage({ framework: 'pytorch', version: '2.1', region: 'us-west-2', instanceType: 'ml.m5.xlarge' })).toEqual({
      error: 'pytorch needs an image scope.', hint: 'pytorch has images for: inference, inference_graviton, training; set `imageScope`.',
    });
    expect(resolveImage({ framework: 'pytorch', version: '1.13', pythonVersion: 'py39', instanceType: 'ml.p2.xlarge', region: 'us-east-1', scope: 'training' }))
      .toMatchObject({ error: 'P2 instances are not supported by pytorch 1.13 (deprecated from PyTorch 1.13 and TensorFlow 2.12).' });
    expect(resolveImage({ framework: 'tensorflow', version: '2.13', instanceType: 'ml.trn1.2xlarge', region: 'us-east-1', scope: 'training' }))
      .toMatchObject({ error: 'tensorflow has no image for Trainium instances (ml.trn1.2xlarge).' });
    expect(resolveImage({ framework: 'xgboost', version: '1.7-1', instanceType: 'ml.c6g.xlarge', region: 'us-west-2' }))
      .toEqual({ error: 'xgboost has no version 1.7-1 for inference graviton.', hint: 'xgboost supports versions 1.3-1, 1.5-1.' });
  });

  it('asks for a version rather than guessing the newest', () => {
    expect(resolveImage({ framework: 'sklearn', version: '', region: 'us-west-2' })).toEqual({
      error: 'sklearn needs a version for training.', hint: 'sklearn supports versions 0.20.0, 0.23-1, 1.0-1, 1.2-1, 1.4-2.',
    });
  });

  it('asks which base framework a HuggingFace version is for when it has several', () => {
    expect(resolveImage({ framework: 'huggingface', version: '4.17', instanceType: 'ml.g5.xlarge', region: 'us-west-2', scope: 'training' })).toEqual({
      error: 'huggingface 4.17 needs a base framework.',
      hint: 'Set `baseFrameworkVersion` to one of: pytorch1.10, tensorflow2.6, pytorch1.10.2, tensorflow2.6.3.',
    });
  });
});

describe('processorForInstanceType', () => {
  it('maps instance families the way the SDK does', () => {
    expect(processorForInstanceType('ml.p3.2xlarge')).toBe('gpu');
    expect(processorForInstanceType('ml.g5.12xlarge')).toBe('gpu');
    expect(processorForInstanceType('ml.inf2.xlarge')).toBe('inf');
    expect(processorForInstanceType('ml.trn1.32xlarge')).toBe('trn');
    expect(processorForInstanceType('ml.m5.xlarge')).toBe('cpu');
    expect(processorForInstanceType('ml.c5.xlarge', ['cpu', 'gpu', 'c5'])).toBe('c5');
    expect(processorForInstanceType('local')).toBe('cpu');
    expect(processorForInstanceType('local_gpu')).toBe('gpu');
  });
});

describe('ecrHostname', () => {
  it('uses the partition DNS suffix', () => {
    expect(ecrHostname('us-east-1')).toBe('ecr.us-east-1.amazonaws.com');
    expect(ecrHostname('cn-north-1')).toBe('ecr.cn-north-1.amazonaws.com.cn');
    expect(ecrHostname('us-gov-west-1')).toBe('ecr.us-gov-west-1.amazonaws.com');
    expect(ecrHostname('us-isob-east-1')).toBe('ecr.us-isob-east-1.sc2s.sgov.gov');
    expect(ecrHostname('eu-isoe-west-1')).toBe('ecr.eu-isoe-west-1.cloud.adc-e.uk');
    expect(ecrHostname('eusc-de-east-1')).toBe('ecr.eusc-de-east-1.amazonaws.eu');
  });
});

describe('supportedFrameworks', () => {
  it('covers the script-mode frameworks and the kit-needed built-in images', () => {
    expect(supportedFrameworks()).toEqual(expect.arrayContaining(
      ['pytorch', 'tensorflow', 'mxnet', 'sklearn', 'xgboost', 'huggingface', 'spark', 'model-monitor', 'clarify', 'linear-learner']));
  });
});

describe('image-uris.generated.json', () => {
  it('says where it comes from and references only registries it holds', () => {
    expect(table.source).toMatch(/^SageMaker Python SDK v2\.257\.6 image_uri_config/);
    const indexes: number[] = [];
    const walk = (node: unknown, key: string): void => {
      if (key === 'registries') indexes.push(node as number);
      else if (node !== null && typeof node === 'object') for (const [k, v] of Object.entries(node)) walk(v, k);
    };
    walk(table.frameworks, '');
    expect(indexes.length).toBeGreaterThan(200);
    expect(indexes.every((i) => Number.isInteger(i) && i >= 0 && i < table.registries.length)).toBe(true);
    // Every stored map is used, and none is stored twice.
    expect(new Set(indexes).size).toBe(table.registries.length);
    expect(new Set(table.registries.map((r) => JSON.stringify(r))).size).toBe(table.registries.length);
  });

  it.skipIf(!existsSync(SDK_CONFIG))('is what the generator writes from the SDK sources', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'smpk-images-')), 'table.json');
    execFileSync(process.execPath, ['scripts/gen-image-uris.mjs', SDK_CONFIG, '--out', out]);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync('src/compiler/image-uris.generated.json', 'utf8'));
  });
});
