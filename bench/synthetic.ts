/** Synthetic specs of N steps for the compile benchmark: a chain of processing steps, each reading the previous one's output. */
export function syntheticSpec(steps: number): string {
  const lines = [
    'version: 1',
    'pipeline:',
    `  name: synthetic-${steps}`,
    '  roleArn: arn:aws:iam::111122223333:role/bench',
    '  bucket: bench-bucket',
    'parameters:',
    '  InstanceType: {type: String, default: ml.m5.xlarge}',
    'steps:',
  ];
  for (let i = 0; i < steps; i++) {
    lines.push(
      `  - name: Step${i}`,
      '    type: processing',
      '    processor:',
      '      image: 111122223333.dkr.ecr.us-east-1.amazonaws.com/bench:latest',
      '      instanceType: {get: Parameters.InstanceType}',
      '      entrypoint: [python3, /opt/ml/processing/input/code/run.py]',
      '    inputs:',
      i === 0
        ? '      - {source: "s3://bench-bucket/input/", destination: /opt/ml/processing/input/data}'
        : `      - {source: {output: Step${i - 1}.out}, destination: /opt/ml/processing/input/data}`,
      '    outputs:',
      '      - {name: out, source: /opt/ml/processing/output}',
    );
  }
  return `${lines.join('\n')}\n`;
}
