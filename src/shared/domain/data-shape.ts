/**
 * A tiny schema helper for stored event data: each `Check<T>` takes an `unknown` value and returns
 * that same value as a `T`, or throws a ShapeError naming what was expected. It checks what the JS types must be
 * (and that money is a decimal string), not business rules: those were decided before the event was
 * stored, and `evolve` asserts the ones history guarantees.
 *
 * Why hand-written and not a library: the whole need is a dozen checks over flat JSON objects, and
 * `shape<T>()` ties each schema to its event's interface at compile time (a field missing from the
 * schema, or checked as the wrong type, does not compile), which is what a library would add.
 */
export type Check<T> = (value: unknown) => T;

/** Why a value does not fit; `path` is filled in on the way out (`details.utility`, `streams[2].hash`). */
export class ShapeError extends Error {
  constructor(
    readonly expected: string,
    readonly found: unknown,
    readonly path: string = '',
  ) {
    super(explain(path || 'the value', expected, found));
    this.name = 'ShapeError';
  }

  /** The message with the path under `root`: `data.details.utility must be a string (got null)`. */
  at(root: string): string {
    return explain(joinPath(root, this.path), this.expected, this.found);
  }

  /** The same error, one level further out: only built when a check fails, never on the happy path. */
  within(segment: string): ShapeError {
    return new ShapeError(this.expected, this.found, joinPath(segment, this.path));
  }
}

function joinPath(outer: string, inner: string): string {
  return inner === '' ? outer : inner.startsWith('[') ? `${outer}${inner}` : `${outer}.${inner}`;
}

function explain(path: string, expected: string, found: unknown): string {
  return `${path} must be ${expected} (got ${describeValue(found)})`;
}

/** A value, short enough to quote in a message: `"abc"`, `number 5`, `an array`, `nothing`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

export const string: Check<string> = (v) => {
  if (typeof v !== 'string') throw new ShapeError('a string', v);
  return v;
};

export const boolean: Check<boolean> = (v) => {
  if (typeof v !== 'boolean') throw new ShapeError('true or false', v);
  return v;
};

/** A finite JSON number (areas); whole numbers use `integer`. */
export const number: Check<number> = (v) => {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ShapeError('a finite number', v);
  return v;
};

export const integer: Check<number> = (v) => {
  if (!Number.isSafeInteger(v)) throw new ShapeError('a whole number', v);
  return v as number;
};

/** What `fenOfStored` reads exactly: money is a decimal string ("1250.00"), never a JSON number. */
const DECIMAL_AMOUNT = /^-?\d{1,30}(?:\.\d{1,2})?$/;
export const decimalAmount: Check<string> = (v) => {
  if (typeof v !== 'string' || !DECIMAL_AMOUNT.test(v))
    throw new ShapeError('a decimal amount string such as "1250.00"', v);
  return v;
};

export function oneOf<const T extends string>(values: readonly T[]): Check<T> {
  const allowed = new Set<string>(values);
  return (v) => {
    if (typeof v !== 'string' || !allowed.has(v)) throw new ShapeError(`one of ${values.join(', ')}`, v);
    return v as T;
  };
}

/** An absent field (or `undefined`) is fine; a present one must fit `check`. */
export function optional<T>(check: Check<T>): Check<T | undefined> {
  const optionalCheck: Check<T | undefined> = (v) => (v === undefined ? undefined : check(v));
  optionalInner.set(optionalCheck, check);
  return optionalCheck;
}

/** The check an `optional(...)` wraps, so that `shape` can test the field without the extra call. */
const optionalInner = new WeakMap<Check<unknown>, Check<unknown>>();

export function arrayOf<T>(check: Check<T>): Check<T[]> {
  return (v) => {
    if (!Array.isArray(v)) throw new ShapeError('an array', v);
    let i = 0;
    try {
      for (; i < v.length; i++) check(v[i]);
    } catch (err) {
      throw err instanceof ShapeError ? err.within(`[${i}]`) : err;
    }
    return v as T[];
  };
}

/** A JSON object whose every own value fits `check` (source details: `{ utility: 'gas' }`). */
export function recordOf<T>(check: Check<T>): Check<Record<string, T>> {
  return (v) => {
    if (!isPlainObject(v)) throw new ShapeError('an object', v);
    // for...in and not Object.keys: no array of keys allocated per event. A JSON object has no
    // inherited enumerable keys, so the keys visited are its own, as with Object.keys.
    for (const key in v) {
      try {
        check(v[key]);
      } catch (err) {
        throw err instanceof ShapeError ? err.within(key) : err;
      }
    }
    return v as Record<string, T>;
  };
}

/**
 * An object of `T`'s fields, each with its check: `shape<FundsReceived>({ projectId: string, ...,
 * pledgeId: optional(string) })`. Every field of `T`, optional ones too, must be listed, so a field
 * added to the interface and forgotten here does not compile.
 *
 * The checked value itself is returned, not a copy: every event the store reads passes here, and a
 * copy of each would cost more than the checks. A field `T` does not list is left in place and never
 * read (a ledger that writes a new field writes a new version of the event).
 */
export function shape<T extends object>(fields: { [K in keyof Required<T>]: Check<T[K]> }): Check<T> {
  const keys = Object.keys(fields);
  const checks = Object.values(fields) as Check<unknown>[];
  const fits = compileFits(keys, checks);
  return (v) => {
    if (!isPlainObject(v)) throw new ShapeError('an object', v);
    if (fits(v)) return v as T;
    // Only a value that does not fit gets here: the checks run one by one, and the first that
    // refuses says why (so every refusal is a check's own, with its message).
    let i = 0;
    try {
      for (; i < keys.length; i++) checks[i](v[keys[i]]);
    } catch (err) {
      throw err instanceof ShapeError ? err.within(keys[i]) : err;
    }
    return v as T;
  };
}

/**
 * A shape's happy path, compiled once into one function: every event the store reads passes here,
 * and reading fields by a key held in a variable (`v[keys[i]]`) is what cost most (V8 cannot cache
 * where a field sits when the name changes each iteration; it can for `v["amount"]`). So the
 * function reads each field by its literal name and tests the common checks in line; `optional(c)`
 * becomes `=== undefined ||`, and any other check (`oneOf`, `recordOf`, a nested shape) is called.
 * For `shape<FundsReceived>` it reads, in part:
 *
 *     const f3 = v["amount"];
 *     if (!(typeof f3 === "string" && DECIMAL_AMOUNT.test(f3))) return false;
 *     const f8 = v["pledgeId"];
 *     if (!(f8 === undefined || typeof f8 === "string")) return false;
 *     const f12 = v["details"];
 *     if (!passes(checks[12], f12)) return false;
 *
 * It only answers whether the value fits; a refusal is then explained by the checks themselves.
 * Field names come from the source (the `shape` calls), never from data.
 */
function compileFits(keys: string[], checks: Check<unknown>[]): (v: Record<string, unknown>) => boolean {
  const lines = keys.map((key, i) => {
    const inner = optionalInner.get(checks[i]);
    const test = inlineTest(inner ?? checks[i], `f${i}`, i);
    return [
      `const f${i} = v[${JSON.stringify(key)}];`,
      `if (!(${inner ? `f${i} === undefined || ` : ''}${test})) return false;`,
    ].join('\n');
  });
  const body = `return (v) => {\n${lines.join('\n')}\nreturn true;\n};`;
  return new Function('DECIMAL_AMOUNT', 'checks', 'passes', body)(DECIMAL_AMOUNT, checks, passes) as (
    v: Record<string, unknown>,
  ) => boolean;
}

/** The test of `check` on the variable `value`, in line when it is one of the plain checks above. */
function inlineTest(check: Check<unknown>, value: string, index: number): string {
  if (check === string) return `typeof ${value} === "string"`;
  if (check === decimalAmount) return `typeof ${value} === "string" && DECIMAL_AMOUNT.test(${value})`;
  if (check === integer) return `Number.isSafeInteger(${value})`;
  if (check === boolean) return `typeof ${value} === "boolean"`;
  if (check === number) return `typeof ${value} === "number" && Number.isFinite(${value})`;
  return `passes(checks[${index}], ${value})`;
}

/** Whether `check` takes `value`: what the compiled function asks of a check it does not inline. */
function passes(check: Check<unknown>, value: unknown): boolean {
  try {
    check(value);
    return true;
  } catch {
    return false;
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
