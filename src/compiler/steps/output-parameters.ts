/**
 * Output parameters of Lambda and Callback steps: the `OutputParameters` list of
 * `{OutputName, OutputType}` (LambdaOutput/CallbackOutput `to_request`) and the step's `inputs`
 * as its Arguments.
 */
import { childPointer } from '../../spec/source-map.js';
import type { EmitContext, JsonObject, Pointer } from '../types.js';

/** The `outputs:` list → OutputParameters; output type defaults to String as in the SDK. */
export function outputParameters(outputs: readonly { name: string; type?: string }[] | undefined, ctx: EmitContext, pointer: Pointer): JsonObject[] {
  const seen = new Set<string>();
  return (outputs ?? []).map((output, i) => {
    // Two outputs with one name would make `OutputParameters['name']` ambiguous.
    if (seen.has(output.name)) ctx.error(childPointer(childPointer(pointer, i), 'name'), `Two outputs are named ${output.name}.`, undefined, 'duplicate-output');
    seen.add(output.name);
    return { OutputName: output.name, OutputType: output.type ?? 'String' };
  });
}

/** The `inputs:` mapping → Arguments, each value converted (literal or expression). */
export function inputArguments(inputs: Readonly<Record<string, unknown>> | undefined, ctx: EmitContext, pointer: Pointer): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(inputs ?? {})) {
    if (value !== undefined) out[key] = ctx.expr(value, childPointer(pointer, key));
  }
  return out;
}
