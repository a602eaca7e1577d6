import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { DOCUMENTS, documentId, type DocumentName } from './spec.js';

/**
 * Ajv instances holding both bundled documents under their own `$id`; a schema is compiled
 * by JSON pointer into its document (`contacts.json#/components/schemas/Meta`), once.
 *
 * - `strict`: what the spec says of a JSON value (bodies, responses): no type coercion.
 * - `coercing`: path and query parameters, which travel as strings and are read as the
 *   schema's type (as OpenAPI and the server do).
 */

// ajv-formats is CommonJS: under NodeNext its default export is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv,
) => Ajv;

function makeAjv(coerce: boolean): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, coerceTypes: coerce, useDefaults: false });
  addFormats(ajv);
  // OpenAPI's int64: a JSON number that is an integer JavaScript can hold exactly.
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
  ajv.addFormat('int32', {
    type: 'number',
    validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31,
  });
  for (const name of Object.keys(DOCUMENTS) as DocumentName[])
    ajv.addSchema(DOCUMENTS[name] as object, documentId(name));
  return ajv;
}

const instances = { strict: makeAjv(false), coercing: makeAjv(true) };
const cache = new Map<string, ValidateFunction>();

/** The validator of the schema at `pointer` in `document`. */
export function validatorAt(
  document: DocumentName,
  pointer: string,
  mode: 'strict' | 'coercing' = 'strict',
): ValidateFunction {
  const key = `${mode} ${document}${pointer}`;
  let validate = cache.get(key);
  if (!validate) {
    validate = instances[mode].compile({ $ref: `${documentId(document)}${pointer}` });
    cache.set(key, validate);
  }
  return validate;
}

/** A validator for an ad-hoc schema whose `$ref`s name a document (`contacts.json#/...`). */
export function compileSchema(schema: object, mode: 'strict' | 'coercing' = 'strict'): ValidateFunction {
  return instances[mode].compile(schema);
}

export const refTo = (document: DocumentName, pointer: string) => ({ $ref: `${documentId(document)}${pointer}` });

export function describeErrors(validate: ValidateFunction): string {
  return (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message}`).join('; ');
}
