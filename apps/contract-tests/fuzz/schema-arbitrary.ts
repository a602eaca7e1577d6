import fc from 'fast-check';
import { validatorOf } from '@wa-contacts/test-kit/contract';
import type { DocumentName, JsonSchema } from './spec.js';

/**
 * fast-check arbitraries derived from a JSON schema of the bundled specs: `valid` gives values
 * the schema accepts, `broken` values built to break one of its keywords (wrong type, missing
 * required property, unknown property, out of range, too long or short, not matching the
 * pattern, not in the enum, too many or too few items). Nothing is copied from the spec by
 * hand: every bound, pattern, enum and default is read from the schema as the spec has it.
 */

/** A schema, its document and where it stands there (a JSON pointer, for messages). */
export interface SchemaRef {
  document: DocumentName;
  schema: JsonSchema;
  pointer: string;
}

export interface GenOptions {
  /** Example strings of the document: mixed into string values where they fit the schema. */
  examples: readonly string[];
}

/** A broken value and what was broken, for the counterexample and the statistics. */
export interface Broken {
  value: unknown;
  why: string;
}

/**
 * An array of `length` items that cycles through `items`, kept short in memory and in printed
 * counterexamples; `JSON.stringify` writes it out in full.
 */
export class Repeated {
  constructor(
    readonly items: readonly unknown[],
    readonly length: number,
  ) {}
  toJSON(): unknown[] {
    return Array.from({ length: this.length }, (_, i) => this.items[i % this.items.length]);
  }
  [fc.toStringMethod](): string {
    return `Repeated(${this.length} items cycling ${fc.stringify(this.items)})`;
  }
}

const codePoints = (s: string) => [...s].length;
// Unpaired surrogates are not text: no JSON encoder or HTTP client sends them as such.
const wellFormed = (s: string) => !/\p{Surrogate}/u.test(s);

export function at(ref: SchemaRef, ...segments: Array<string | number>): SchemaRef {
  let schema: unknown = ref.schema;
  for (const s of segments) schema = (schema as Record<string, unknown>)[String(s)];
  const pointer = `${ref.pointer}/${segments.map((s) => String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
  return resolved({ document: ref.document, schema: schema as JsonSchema, pointer });
}

/** The schema as the generators read it (test-kit's documents are dereferenced: no `$ref` to follow). */
export function resolved(ref: SchemaRef): SchemaRef {
  if ('$ref' in ref.schema) throw new Error(`a $ref left at ${ref.document}${ref.pointer}`);
  return ref;
}

const typeOf = (s: JsonSchema): string | undefined => {
  if (typeof s.type === 'string') return s.type;
  if (s.properties || s.required || s.additionalProperties !== undefined) return 'object';
  if ('items' in s) return 'array';
  return undefined;
};

// ---------------------------------------------------------------------------------------
// Valid values

/**
 * Valid values of a schema. `local` holds the examples given for this very place (a
 * parameter's example, the matching part of a request-body example); with the schema's own
 * `example` they are mixed in where they validate, more often than the document-wide pool.
 */
export function validValue(
  ref0: SchemaRef,
  options: GenOptions,
  local: readonly unknown[] = [],
): fc.Arbitrary<unknown> {
  const ref = resolved(ref0);
  const s = ref.schema;
  const locals = [...local, ref0.schema.example, s.example].filter((e) => e !== undefined);
  let arb: fc.Arbitrary<unknown>;
  if (Array.isArray(s.oneOf) || Array.isArray(s.anyOf)) {
    const key = Array.isArray(s.oneOf) ? 'oneOf' : 'anyOf';
    const branches = (s[key] as unknown[]).map((_, i) => validValue(at(ref, key, i), options, locals));
    const check = validatorOf(ref.schema);
    arb = fc.oneof(...branches).filter((v) => check(v) === true);
  } else if (Array.isArray(s.enum)) {
    arb = fc.constantFrom(...(s.enum as unknown[]));
  } else {
    switch (typeOf(s)) {
      case 'string':
        arb = validString(ref, options, locals);
        break;
      case 'integer':
        arb = validInteger(s);
        break;
      case 'number':
        arb = fc.double({
          min: s.minimum ?? -1e12,
          max: s.maximum ?? 1e12,
          noNaN: true,
          noDefaultInfinity: true,
        });
        break;
      case 'boolean':
        arb = fc.boolean();
        break;
      case 'array':
        arb = validArray(
          ref,
          options,
          locals.flatMap((e) => (Array.isArray(e) ? e : [])),
        );
        break;
      case 'object':
        arb = validObject(ref, options, locals);
        break;
      default:
        arb = fc.jsonValue({ maxDepth: 2 });
    }
    if (typeOf(s) !== 'string' && typeOf(s) !== 'object' && typeOf(s) !== 'array') {
      const check = validatorOf(ref.schema);
      const fitting = [...new Set(locals.filter((e) => check(e) === true))];
      if (fitting.length > 0)
        arb = fc.oneof({ weight: 3, arbitrary: arb }, { weight: 1, arbitrary: fc.constantFrom(...fitting) });
    }
  }
  if (s.default !== undefined)
    arb = fc.oneof({ weight: 4, arbitrary: arb }, { weight: 1, arbitrary: fc.constant(s.default) });
  if (s.nullable === true) arb = fc.option(arb, { nil: null, freq: 8 });
  return arb;
}

/** The examples of the document that this string schema accepts. */
export function fittingExamples(ref: SchemaRef, options: GenOptions): string[] {
  const check = validatorOf(ref.schema);
  return options.examples.filter((e) => check(e) === true);
}

function validString(ref: SchemaRef, options: GenOptions, locals: readonly unknown[]): fc.Arbitrary<string> {
  const s = ref.schema;
  const min = s.minLength ?? 0;
  const max = s.maxLength;
  const re = typeof s.pattern === 'string' ? new RegExp(s.pattern, 'u') : undefined;
  const fits = (v: string) =>
    wellFormed(v) && codePoints(v) >= min && (max === undefined || codePoints(v) <= max) && (!re || re.test(v));

  let generated: fc.Arbitrary<string>;
  if (re) {
    generated = patternString(s.pattern as string, min).filter(fits);
  } else {
    const choices: Array<fc.WeightedArbitrary<string>> = [
      { weight: 5, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: min, maxLength: max }) },
      { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: min, maxLength: max }) },
    ];
    // The bound itself, where off-by-one mistakes live.
    if (max !== undefined && max > 0)
      choices.push({ weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: max, maxLength: max }) });
    generated = fc.oneof(...choices).filter(fits);
  }
  const check = validatorOf(ref.schema);
  const own = [...new Set(locals.filter((e): e is string => typeof e === 'string' && check(e) === true))];
  const pool = fittingExamples(ref, options).filter((e) => !own.includes(e));
  const choices: Array<fc.WeightedArbitrary<string>> = [{ weight: 3, arbitrary: generated }];
  if (own.length > 0) choices.push({ weight: 3, arbitrary: fc.constantFrom(...own) });
  if (pool.length > 0) choices.push({ weight: 1, arbitrary: fc.constantFrom(...pool) });
  return fc.oneof(...choices);
}

/**
 * Strings matching a regular expression. fast-check reads most of the syntax; lookaheads
 * (`^(?=.*[0-9])(?=.*[a-z]).*$`, the password policy) it does not, so each lookahead's body
 * is generated on its own and the pieces concatenated: the result contains a match of every
 * lookahead, and the caller filters on the full expression.
 */
export function patternString(pattern: string, minLength = 0): fc.Arbitrary<string> {
  try {
    const arb = fc.stringMatching(new RegExp(pattern));
    fc.sample(arb, 1);
    return arb;
  } catch {
    const m = /^\^((?:\(\?=[^()]*\))+)(.*)\$$/.exec(pattern);
    if (!m) throw new Error(`cannot generate strings for the pattern ${pattern}`);
    const lookaheads = [...m[1]!.matchAll(/\(\?=([^()]*)\)/g)].map((x) => x[1]!);
    const parts = [...lookaheads, m[2]!].map((body) => fc.stringMatching(new RegExp(`^${body}$`), { size: 'xsmall' }));
    return fc
      .tuple(...parts)
      .chain((pieces) => fc.shuffledSubarray(pieces, { minLength: pieces.length, maxLength: pieces.length }))
      .map((pieces) => {
        const joined = pieces.join('');
        return joined.length === 0 || joined.length >= minLength
          ? joined
          : joined.repeat(Math.ceil(minLength / joined.length));
      })
      .filter((v) => new RegExp(pattern).test(v));
  }
}

function validInteger(s: JsonSchema): fc.Arbitrary<number> {
  const min = typeof s.minimum === 'number' ? s.minimum : -Number.MAX_SAFE_INTEGER;
  const max = typeof s.maximum === 'number' ? s.maximum : Number.MAX_SAFE_INTEGER;
  // bigInt: the range can pass 32 bits, and fast-check biases it towards both ends.
  const base = fc.bigInt({ min: BigInt(Math.ceil(min)), max: BigInt(Math.floor(max)) }).map(Number);
  // No maximum and no format: every JSON integer is valid, beyond 2^53 and 2^63 too.
  if (s.maximum === undefined && s.format === undefined) {
    const huge = fc
      .double({ min: 2 ** 53, max: Number.MAX_VALUE, noNaN: true, noDefaultInfinity: true })
      .map(Math.floor);
    return fc.oneof({ weight: 12, arbitrary: base }, { weight: 1, arbitrary: huge });
  }
  return base;
}

function validArray(ref: SchemaRef, options: GenOptions, localItems: readonly unknown[] = []): fc.Arbitrary<unknown> {
  const s = ref.schema;
  const min = s.minItems ?? 0;
  const max = s.maxItems;
  const item = 'items' in s ? validValue(at(ref, 'items'), options, localItems) : fc.jsonValue({ maxDepth: 1 });
  const everyday = Math.max(min, Math.min(max ?? 8, 8));
  // uniqueItems: no two items equal as JSON.
  const array = (minLength: number, maxLength: number) =>
    s.uniqueItems === true
      ? fc.uniqueArray(item, { minLength, maxLength, selector: (value) => JSON.stringify(value) })
      : fc.array(item, { minLength, maxLength });
  const normal = array(min, everyday);
  if (max === undefined) return normal;
  // A small maxItems is reached here; a large one (10,000 numbers) would make every run slow:
  // `hugeArrays` gives those bounds, and the request generators use them rarely.
  if (max > LARGE_ARRAY) return normal;
  return fc.oneof({ weight: 4, arbitrary: normal }, { weight: 1, arbitrary: array(max, max) });
}

/** Arrays with more items than this are only built as `Repeated`, through `hugeArrays`. */
export const LARGE_ARRAY = 50;

/**
 * Every array with a large maxItems reachable through the properties of an object schema,
 * with arbitraries of a value at the bound (valid) and one past it (broken), the items valid
 * or, past the bound, sometimes of the wrong type.
 */
export function hugeArrays(
  ref0: SchemaRef,
  options: GenOptions,
): Array<{ path: string[]; atMax: fc.Arbitrary<Repeated>; overMax: fc.Arbitrary<Repeated> }> {
  const ref = resolved(ref0);
  const s = ref.schema;
  const found: Array<{ path: string[]; atMax: fc.Arbitrary<Repeated>; overMax: fc.Arbitrary<Repeated> }> = [];
  if (typeOf(s) === 'array' && typeof s.maxItems === 'number' && s.maxItems > LARGE_ARRAY && 'items' in s) {
    const max = s.maxItems;
    const itemRef = at(ref, 'items');
    const item = validValue(itemRef, options);
    const items = fc.array(item, { minLength: 1, maxLength: 3 });
    found.push({
      path: [],
      atMax: items.map((xs) => new Repeated(xs, max)),
      overMax: fc
        .oneof(
          items,
          fc.array(
            brokenValue(itemRef, options).map((b) => b.value),
            { minLength: 1, maxLength: 2 },
          ),
        )
        .map((xs) => new Repeated(xs, max + 1)),
    });
  }
  if (typeOf(s) === 'object') {
    for (const key of Object.keys(s.properties ?? {})) {
      for (const inner of hugeArrays(at(ref, 'properties', key), options))
        found.push({ ...inner, path: [key, ...inner.path] });
    }
  }
  return found;
}

function validObject(
  ref: SchemaRef,
  options: GenOptions,
  locals: readonly unknown[] = [],
): fc.Arbitrary<Record<string, unknown>> {
  const s = ref.schema;
  const properties = (s.properties as Record<string, JsonSchema> | undefined) ?? {};
  const required = s.required ?? [];
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  const localOf = (key: string) =>
    locals.flatMap((e) => (e && typeof e === 'object' && key in e ? [(e as Record<string, unknown>)[key]] : []));
  for (const key of Object.keys(properties)) model[key] = validValue(at(ref, 'properties', key), options, localOf(key));
  let arb: fc.Arbitrary<Record<string, unknown>> = fc.record(model, {
    requiredKeys: required.filter((k) => k in model),
  });
  const minProperties = s.minProperties;
  if (minProperties) arb = arb.filter((o) => Object.keys(o).length >= minProperties);
  const maxProperties = s.maxProperties;
  if (maxProperties !== undefined) arb = arb.filter((o) => Object.keys(o).length <= maxProperties);
  return arb;
}

// ---------------------------------------------------------------------------------------
// Broken values

const ANY_TYPE: Record<string, fc.Arbitrary<unknown>> = {
  string: fc.string({ maxLength: 12 }),
  integer: fc.integer(),
  fraction: fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Number.isInteger(n)),
  boolean: fc.boolean(),
  null: fc.constant(null),
  array: fc.array(fc.oneof(fc.string({ maxLength: 5 }), fc.integer()), { maxLength: 3 }),
  object: fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.string({ maxLength: 5 }), fc.integer()), {
    maxKeys: 3,
  }),
};

/** Values of every JSON type the schema does not allow. */
function wrongType(s: JsonSchema): fc.Arbitrary<Broken> | undefined {
  const type = typeOf(s);
  if (!type) return undefined;
  const allowed = new Set([type]);
  if (type === 'number') for (const t of ['integer', 'fraction']) allowed.add(t);
  if (s.nullable === true) allowed.add('null');
  const others = Object.entries(ANY_TYPE).filter(([t]) => !allowed.has(t));
  return fc.oneof(...others.map(([t, arb]) => arb.map((value) => ({ value, why: `${t} instead of ${type}` }))));
}

export function brokenValue(ref0: SchemaRef, options: GenOptions): fc.Arbitrary<Broken> {
  const ref = resolved(ref0);
  const s = ref.schema;
  const choices: Array<fc.WeightedArbitrary<Broken>> = [];
  const add = (weight: number, arbitrary: fc.Arbitrary<Broken> | undefined) => {
    if (arbitrary) choices.push({ weight, arbitrary });
  };
  add(2, wrongType(s));
  if (Array.isArray(s.enum)) {
    const allowed = s.enum as unknown[];
    const nearMisses = allowed.flatMap((v) =>
      typeof v === 'string' ? [v.toUpperCase(), ` ${v}`, `${v} `, v.slice(0, -1), `${v}${v}`] : [],
    );
    add(
      3,
      fc
        .oneof(fc.string({ maxLength: 10 }), ...(nearMisses.length ? [fc.constantFrom(...nearMisses)] : []))
        .filter((v) => !allowed.includes(v))
        .map((value) => ({ value, why: 'not in enum' })),
    );
  }
  switch (typeOf(s)) {
    case 'string':
      choices.push(...brokenStrings(ref, options));
      break;
    case 'integer':
    case 'number':
      choices.push(...brokenNumbers(s));
      break;
    case 'boolean':
      add(
        2,
        fc.constantFrom('true', 'false', 0, 1, 'yes').map((value) => ({ value, why: 'boolean-ish, not a boolean' })),
      );
      break;
    case 'array':
      choices.push(...brokenArrays(ref, options));
      break;
    case 'object':
      choices.push(...brokenObjects(ref, options));
      break;
  }
  if (choices.length === 0) throw new Error(`no way to break the schema at ${ref.document}${ref.pointer}`);
  return fc.oneof(...choices);
}

function brokenStrings(ref: SchemaRef, options: GenOptions): Array<fc.WeightedArbitrary<Broken>> {
  const s = ref.schema;
  const out: Array<fc.WeightedArbitrary<Broken>> = [];
  const min = s.minLength ?? 0;
  const max = s.maxLength;
  const pool = fittingExamples(ref, options);
  if (max !== undefined) {
    out.push({
      weight: 2,
      arbitrary: fc
        .integer({ min: max + 1, max: max + 1 + Math.min(max, 40) })
        .chain((n) =>
          fc.string({
            unit: fc.oneof(
              fc.constantFrom('0', '1', '5', ' ', '+'),
              fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }),
            ),
            minLength: n,
            maxLength: n,
          }),
        )
        .map((value) => ({ value, why: `longer than maxLength ${max}` })),
    });
  }
  if (min > 0) {
    out.push({
      weight: 2,
      arbitrary: fc.string({ maxLength: min - 1 }).map((value) => ({ value, why: `shorter than minLength ${min}` })),
    });
  }
  if (typeof s.pattern === 'string') {
    const re = new RegExp(s.pattern, 'u');
    const mutated = pool.length
      ? [
          fc
            .tuple(fc.constantFrom(...pool), fc.nat(), fc.string({ unit: 'binary', minLength: 1, maxLength: 2 }))
            .map(
              ([example, i, junk]) =>
                example.slice(0, i % (example.length + 1)) + junk + example.slice(i % (example.length + 1)),
            ),
          fc
            .tuple(fc.constantFrom(...pool), fc.nat())
            .map(([example, i]) => example.slice(0, i % Math.max(1, example.length))),
        ]
      : [];
    out.push({
      weight: 4,
      arbitrary: fc
        .oneof(fc.string({ maxLength: 20 }), fc.string({ unit: 'binary', maxLength: 20 }), ...mutated)
        .filter((v) => wellFormed(v) && !re.test(v))
        .map((value) => ({ value, why: `does not match ${s.pattern}` })),
    });
  }
  // Strings a person or a bad client would type: they may be valid for the schema (the
  // oracle decides), they are meant to reach the server's own parsing.
  out.push({ weight: 3, arbitrary: oddStrings(pool).map((value) => ({ value, why: 'odd string' })) });
  return out;
}

/**
 * Odd strings for any string field: unicode and emoji, very long ones, only punctuation, a
 * lone '+', leading and trailing spaces around good values, URL-special characters, digits
 * from other scripts, invisible characters.
 */
export function oddStrings(examples: readonly string[]): fc.Arbitrary<string> {
  const seeds = examples.length ? examples : ['16315551000'];
  const example = fc.constantFrom(...seeds);
  const spaces = fc.string({
    unit: fc.constantFrom(' ', '\t', '\n', '\u00a0', '\u200b', '\u3000'),
    minLength: 1,
    maxLength: 3,
  });
  return fc
    .oneof(
      fc.constantFrom(
        '+',
        '++',
        '+ ',
        ' ',
        '-',
        '()',
        '+()',
        '#',
        '*',
        '%',
        '%25',
        '%2F',
        '?',
        '&',
        '=',
        ';',
        '/',
        '\\',
        '0',
        '00',
        '+0',
        '+00',
        'null',
        'undefined',
        'NaN',
      ),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 16 }),
      fc.string({ unit: fc.constantFrom('😀', '📞', '☎️', '👨‍👩‍👧', '🇮🇹', '\u0301', 'é'), minLength: 1, maxLength: 8 }),
      fc.stringMatching(/^[!-/:-@[-`{-~ ]{1,12}$/),
      fc.stringMatching(/^\+?[/?#%&=;@:[\] 0-9]{1,20}$/),
      fc.tuple(spaces, example, spaces).map(([a, e, b]) => `${a}${e}${b}`),
      fc
        .tuple(example, fc.constantFrom('\u0000', '\u200b', '\u202e', '\ufeff', '\ud83d\ude00'))
        .map(([e, c]) => `${e}${c}`),
      // The same digits in other scripts: Arabic-Indic, full-width, Devanagari.
      example.map((e) => e.replace(/[0-9]/g, (d) => String.fromCodePoint(0x0660 + Number(d)))),
      example.map((e) => e.replace(/[0-9]/g, (d) => String.fromCodePoint(0xff10 + Number(d)))),
      example.map((e) => e.replace(/[0-9]/g, (d) => String.fromCodePoint(0x0966 + Number(d)))),
      // Very long: just past a schema's bound, and past what a router takes in one segment.
      fc
        .integer({ min: 65, max: 700 })
        .chain((n) =>
          fc.string({ unit: fc.constantFrom('1', '6', '3', ' ', '-', '+', '😀'), minLength: n, maxLength: n }),
        ),
    )
    .filter(wellFormed);
}

function brokenNumbers(s: JsonSchema): Array<fc.WeightedArbitrary<Broken>> {
  const out: Array<fc.WeightedArbitrary<Broken>> = [];
  const min = s.minimum;
  const max = s.maximum;
  if (min !== undefined) {
    out.push({
      weight: 3,
      arbitrary: fc
        .oneof(fc.constant(min - 1), fc.integer({ min: -(2 ** 31), max: min - 1 }).map(Number), fc.constant(-1e21))
        .map((value) => ({ value, why: `below minimum ${min}` })),
    });
  }
  if (max !== undefined) {
    out.push({
      weight: 3,
      arbitrary: fc
        .oneof(fc.constant(max + 1), fc.double({ min: max + 1, max: 1e300, noNaN: true }).map(Math.ceil))
        .map((value) => ({ value, why: `above maximum ${max}` })),
    });
  }
  if (s.type === 'integer') {
    out.push({
      weight: 2,
      arbitrary: fc
        .double({ min: min ?? -1e6, max: max ?? 1e6, noNaN: true, noDefaultInfinity: true })
        .filter((n) => !Number.isInteger(n))
        .map((value) => ({ value, why: 'a fraction, not an integer' })),
    });
  }
  out.push({ weight: 1, arbitrary: validInteger(s).map((n) => ({ value: String(n), why: 'a numeral in a string' })) });
  return out;
}

function brokenArrays(ref: SchemaRef, options: GenOptions): Array<fc.WeightedArbitrary<Broken>> {
  const s = ref.schema;
  const out: Array<fc.WeightedArbitrary<Broken>> = [];
  const min = s.minItems ?? 0;
  const max = s.maxItems;
  const itemRef = 'items' in s ? at(ref, 'items') : undefined;
  const item = itemRef ? validValue(itemRef, options) : fc.jsonValue({ maxDepth: 1 });
  if (min > 0)
    out.push({
      weight: 2,
      arbitrary: fc.array(item, { maxLength: min - 1 }).map((value) => ({ value, why: `fewer than minItems ${min}` })),
    });
  if (s.uniqueItems === true)
    out.push({ weight: 2, arbitrary: item.map((x) => ({ value: [x, x], why: 'two equal items (uniqueItems)' })) });
  if (max !== undefined && max <= LARGE_ARRAY) {
    out.push({
      weight: 2,
      arbitrary: fc
        .array(item, { minLength: max + 1, maxLength: max + 3 })
        .map((value) => ({ value, why: `more than maxItems ${max}` })),
    });
  }
  if (itemRef) {
    out.push({
      weight: 3,
      arbitrary: fc
        .tuple(fc.array(item, { maxLength: 3 }), brokenValue(itemRef, options), fc.nat())
        .map(([xs, bad, i]) => {
          const value = [...xs];
          value.splice(i % (xs.length + 1), 0, bad.value);
          return { value, why: `an item: ${bad.why}` };
        }),
    });
  }
  return out;
}

function brokenObjects(ref: SchemaRef, options: GenOptions): Array<fc.WeightedArbitrary<Broken>> {
  const s = ref.schema;
  const out: Array<fc.WeightedArbitrary<Broken>> = [];
  const properties = Object.keys(s.properties ?? {});
  const required = s.required ?? [];
  const valid = validObject(ref, options);
  for (const key of required) {
    out.push({
      weight: 3,
      arbitrary: valid.map((o) => {
        const { [key]: _dropped, ...rest } = o;
        return { value: rest, why: `required property ${key} missing` };
      }),
    });
  }
  if (s.additionalProperties === false) {
    const unknownKey = fc.oneof(
      fc.stringMatching(/^[a-z_]{1,12}$/),
      fc.constantFrom(
        '__proto__',
        'constructor',
        'prototype',
        '',
        ' ',
        ...properties.map((p) => p.toUpperCase()),
        ...properties.map((p) => `${p} `),
      ),
    );
    out.push({
      weight: 3,
      arbitrary: fc
        .tuple(
          valid,
          unknownKey.filter((k) => !properties.includes(k)),
          fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.constant(null), fc.constant({})),
        )
        .map(([o, key, extra]) => {
          const value: Record<string, unknown> = { ...o };
          // defineProperty: a plain assignment of __proto__ would set the prototype instead.
          Object.defineProperty(value, key, { value: extra, enumerable: true, configurable: true, writable: true });
          return { value, why: `unknown property ${JSON.stringify(key)}` };
        }),
    });
  }
  for (const key of properties) {
    out.push({
      weight: 4,
      arbitrary: fc
        .tuple(valid, brokenValue(at(ref, 'properties', key), options))
        .map(([o, bad]) => ({ value: { ...o, [key]: bad.value }, why: `${key}: ${bad.why}` })),
    });
  }
  const minProperties = s.minProperties;
  if (minProperties)
    out.push({ weight: 2, arbitrary: fc.constant({ value: {}, why: `fewer than minProperties ${minProperties}` }) });
  return out;
}
