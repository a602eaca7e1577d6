import { Ajv, type Options, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { bundled, CALLBACKS_ID, callbacks, DOCUMENT_NAMES, documentId, type DocumentName } from './documents.js';

/**
 * The one Ajv set-up of the tests and harnesses: ajv-formats plus OpenAPI's int32/int64, both
 * bundled documents under their `$id` (so `contacts.json#/components/schemas/Meta` compiles),
 * `strict` for JSON values, `coercing` for path and query parameters (strings read as the
 * schema's type, as OpenAPI and the server do).
 */

export type AjvMode = 'strict' | 'coercing';

// ajv-formats is CommonJS: under NodeNext its default export is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv,
) => Ajv;

/**
 * A new Ajv with the spec's formats and both bundled documents; `options` add to the toolkit's
 * (the client's standalone webhook validator passes `code.source` and its own).
 */
export function createAjv(mode: AjvMode = 'strict', options: Options = {}): Ajv {
  const ajv = new Ajv({
    strict: false,
    allErrors: true,
    coerceTypes: mode === 'coercing',
    useDefaults: false,
    ...options,
  });
  addFormats(ajv);
  if (options.code?.source) {
    // Standalone code cannot carry a format's function without a run-time import: accepted as is.
    ajv.addFormat('int64', true);
    ajv.addFormat('int32', true);
  } else {
    // OpenAPI's int64: a JSON number that is an integer JavaScript can hold exactly.
    ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
    ajv.addFormat('int32', {
      type: 'number',
      validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31,
    });
  }
  for (const name of DOCUMENT_NAMES) ajv.addSchema(bundled[name] as object, documentId(name));
  ajv.addSchema(callbacks, CALLBACKS_ID);
  return ajv;
}

const instances = new Map<AjvMode, Ajv>();
/** The toolkit's Ajv of each mode, made once. */
export function shared(mode: AjvMode): Ajv {
  let ajv = instances.get(mode);
  if (!ajv) {
    ajv = createAjv(mode);
    instances.set(mode, ajv);
  }
  return ajv;
}
const byPointer = new Map<string, ValidateFunction>();

/** The validator of the schema at `pointer` (`#/components/schemas/Meta`) in a bundled document, compiled once. */
export function validatorAt(document: DocumentName, pointer: string, mode: AjvMode = 'strict'): ValidateFunction {
  const key = `${mode} ${documentId(document)}${pointer}`;
  let validate = byPointer.get(key);
  if (!validate) {
    validate = shared(mode).compile({ $ref: `${documentId(document)}${pointer}` });
    byPointer.set(key, validate);
  }
  return validate;
}

/** The validator of a schema object (one of the dereferenced documents', or ad hoc), compiled once per object. */
export function validatorOf(schema: object, mode: AjvMode = 'strict'): ValidateFunction {
  // Ajv keeps compiled schemas by object identity: the same object compiles once.
  return shared(mode).compile(schema);
}

/** `$ref` to a schema of a bundled document, for ad-hoc schemas (`{ properties: { x: refTo(...) } }`). */
export const refTo = (document: DocumentName, pointer: string) => ({ $ref: `${documentId(document)}${pointer}` });

/** Ajv's errors of the last validation, one line: `/contacts/0 must be string; (root) must have required property 'blocking'`. */
export function describeErrors(validate: ValidateFunction): string {
  return (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message}`).join('; ');
}
