// Types of the generated standalone validator (scripts/gen-validator.mjs).
import type { ValidateFunction } from 'ajv';

/** SHA-256 of the schema the validator was generated from (JSON.stringify of the parsed schema). */
export declare const schemaHash: string;
export declare const validate: ValidateFunction;
export default validate;
