// `image.baseFrameworkVersion` reaches the resolver: HuggingFace versions built on several
// frameworks need it, as the SDK's base_framework_version.
import { describe, expect, it } from 'vitest';
import { compile } from '../../../src/compiler/index.js';
import { memorySourceFiles } from '../../../src/platform/source-files.js';
import { loadSpec } from '../../../src/spec/load.js';

function compileWith(image: string) {
  const text = `version: 1
pipeline: {name: hf, roleArn: "arn:aws:iam::111122223333:role/r", bucket: hf-bucket}
steps:
  - name: Train
    type: training
    estimator:
      image: ${image}
      instanceType: ml.g5.xlarge
`;
  const loaded = loadSpec(text, 'hf.yaml');
  expect(loaded.diagnostics).toEqual([]);
  if (!loaded.spec) throw new Error('did not load');
  return compile({ spec: loaded.spec, sourceMap: loaded.sourceMap, specPath: 'hf.yaml', files: memorySourceFiles({}) }, { region: 'us-east-1' });
}

describe('image.baseFrameworkVersion', () => {
  it('is required when a HuggingFace version sits on several frameworks, and picks the image', () => {
    const without = compileWith('{framework: huggingface, version: "4.17.0", pythonVersion: py38}');
    expect(without.definitionJson).toBeUndefined();
    expect(without.diagnostics.map((d) => d.hint ?? '').join(' ')).toMatch(/baseFrameworkVersion/);

    const withBase = compileWith('{framework: huggingface, version: "4.17.0", pythonVersion: py38, baseFrameworkVersion: pytorch1.10.2}');
    expect(withBase.diagnostics).toEqual([]);
    const image = JSON.parse(withBase.definitionJson ?? '{}').Steps[0].Arguments.AlgorithmSpecification.TrainingImage;
    expect(image).toBe('763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-training:1.10.2-transformers4.17.0-gpu-py38-cu113-ubuntu20.04');
  });
});
