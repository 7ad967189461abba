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
  return `${path} must be ${expected} (got ${describe(found)})`;
}

function describe(value: unknown): string {
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
const DECIMAL_AMOUNT = /^-?\d{1,30}(\.\d{1,2})?$/;
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
  return (v) => (v === undefined ? undefined : check(v));
}

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
    for (const key of Object.keys(v)) {
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
  return (v) => {
    if (!isPlainObject(v)) throw new ShapeError('an object', v);
    let i = 0;
    try {
      for (; i < keys.length; i++) checks[i](v[keys[i]]);
    } catch (err) {
      throw err instanceof ShapeError ? err.within(keys[i]) : err;
    }
    return v as T;
  };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
