import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { TSchema, Static } from '@sinclair/typebox';

/** Dates PostgreSQL stores and every client reads alike: YYYY-MM-DD, a real day, years 0001 to 9999. */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const [year, month, day] = value.split('-').map(Number);
  const date = new Date(Date.UTC(2000, month - 1, day));
  date.setUTCFullYear(year);
  return year >= 1 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Text PostgreSQL can hold: no NUL, and well-formed UTF-16 (an unpaired surrogate has no UTF-8 form). */
export const isStorable = (value: string) => !value.includes('\u0000') && value.isWellFormed();

/**
 * One validator for every written shape. allErrors: a batch is answered with every problem it has,
 * not the first. The formats and the x-expect annotation are the schema module's own vocabulary.
 */
const ajv = new Ajv({ allErrors: true, strict: true, verbose: true, unicodeRegExp: true });
ajv.addFormat('calendar-date', { type: 'string', validate: isCalendarDate });
ajv.addFormat('text', { type: 'string', validate: (value: string) => isStorable(value) && /\S/.test(value) });
ajv.addFormat('plain', { type: 'string', validate: isStorable });
ajv.addKeyword({ keyword: 'x-expect', schemaType: 'string' });

const compiled = new WeakMap<TSchema, ValidateFunction>();

function validatorOf(schema: TSchema): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) compiled.set(schema, (validate = ajv.compile(schema)));
  return validate;
}

/** A problem with a written value, located by its JSON Pointer (RFC 6901) in the body. */
export interface ShapeProblem {
  pointer: string;
  /** The JSON Schema keyword that failed (additionalProperties: an unknown field). */
  keyword: string;
  message: string;
}

/** A name or value from the request as it may be echoed back: NUL and unpaired surrogates spelt out, long ones cut. */
export function printable(text: string, max = 80): string {
  const shown = text.length > max ? `${text.slice(0, max)}…` : text;
  // eslint-disable-next-line no-control-regex -- NUL is exactly what must be spelt out
  return shown.replace(/\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A field name as a pointer segment (RFC 6901 escapes), spelt printable: a name from the request may hold anything. */
const pointerPart = (name: string) => printable(name.replace(/~/g, '~0').replace(/\//g, '~1'));

function describe(error: ErrorObject): ShapeProblem {
  const expect = (error.parentSchema as { 'x-expect'?: string } | undefined)?.['x-expect'];
  switch (error.keyword) {
    case 'required':
      return { pointer: `${error.instancePath}/${pointerPart(error.params.missingProperty as string)}`, keyword: 'required', message: 'is required' };
    case 'additionalProperties': {
      const name = error.params.additionalProperty as string;
      const known = Object.keys((error.parentSchema as { properties?: object }).properties ?? {});
      return {
        pointer: `${error.instancePath}/${pointerPart(name)}`,
        keyword: 'additionalProperties',
        message: `"${printable(name)}" is not a known field; the fields are ${known.join(', ')}`,
      };
    }
    case 'maxItems':
      return {
        pointer: error.instancePath,
        keyword: 'maxItems',
        message: `has ${(error.data as unknown[]).length.toLocaleString('en')} items; at most ${Number(error.params.limit).toLocaleString('en')} are allowed`,
      };
    case 'type':
      return {
        pointer: error.instancePath,
        keyword: 'type',
        message: `must be ${expect ?? ({ object: 'an object', array: 'an array', boolean: 'true or false', number: 'a number', integer: 'a whole number', string: 'a string', null: 'null' } as Record<string, string>)[String(error.params.type).split(',')[0]] ?? String(error.params.type)}`,
      };
    case 'minProperties':
      return { pointer: error.instancePath, keyword: 'minProperties', message: 'must hold at least one section' };
    default:
      return { pointer: error.instancePath, keyword: error.keyword, message: expect ? `must be ${expect}` : (error.message ?? 'is not valid') };
  }
}

/**
 * Every problem of `value` against `schema`, one per location: the most telling one where a value
 * fails several ways (a wrong type says all), none from the branches of if/then/else themselves.
 */
export function shapeProblems(schema: TSchema, value: unknown): ShapeProblem[] {
  const validate = validatorOf(schema);
  if (validate(value)) return [];
  const byPointer = new Map<string, ShapeProblem>();
  for (const error of validate.errors ?? []) {
    if (error.keyword === 'if') continue;
    const problem = describe(error);
    // The first error at a place says it (a nullable value's other branch and the anyOf add nothing).
    if (!byPointer.has(problem.pointer)) byPointer.set(problem.pointer, problem);
  }
  return [...byPointer.values()];
}

/** `value` as the schema's type, or the problems that stop it being one. */
export function parseShape<T extends TSchema>(schema: T, value: unknown): { value: Static<T>; problems: [] } | { value?: undefined; problems: ShapeProblem[] } {
  const problems = shapeProblems(schema, value);
  return problems.length ? { problems } : { value: value as Static<T>, problems: [] };
}

/**
 * JSON with every object's keys in code-point order: the same value, however it was serialised,
 * gives the same text (an Idempotency-Key's request is compared in this form).
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}
