/** Model steps (CreateModel arguments): a model record, no process — what runs it is the transform step or an endpoint. */
import { sagemakerArn } from '../names.js';
import type { JsonObject } from '../ports.js';
import { epochSeconds, type StepRunner } from './context.js';

/** Runs a Model step. */
export const runModel: StepRunner = async (context) => {
  const name = context.jobName;
  const arn = sagemakerArn(context.region, context.accountId, 'model', name);
  const describe: JsonObject = {
    ...context.args,
    ModelName: name,
    ModelArn: arn,
    CreationTime: epochSeconds(context.ports.clock.now()),
    EnableNetworkIsolation: context.args['EnableNetworkIsolation'] ?? false,
  };
  await context.ports.records.putResource('Model', name, describe);
  context.onCreated({ Model: { Arn: arn } });
  return { properties: describe, metadata: { Model: { Arn: arn } } };
};
