/**
 * fast-check generators of what a careless or hostile client sends: values of the wrong type,
 * range, format, length or script for each kind of field (money, business dates, numbers, codes,
 * ids, free text), whole bodies that are no request, header values, path segments and query
 * strings. Also the valid values of each kind, so that a valid request changed in one field can
 * reach the deciders' rules and not only the DTO layer.
 *
 * A body is built as a list of [key, value] pairs and written by `jsonText`, so it can hold what a
 * JS object cannot: an own `__proto__` key, a key twice, and number literals JSON.stringify never
 * writes (`1e999`, `-0`, 400 digits), given as `RawJson`.
 */
import fc from 'fast-check';
import { AMOUNT_PATTERN } from '../../../src/shared/money/money';
import { FieldSchema } from './routes';

/** JSON text written into a body exactly as given. */
class RawJson {
  constructor(readonly text: string) {}
}

/** A JSON object as sent: its members in order, duplicates and prototype names kept. */
export type Members = [string, unknown][];

function jsonText(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map(jsonText).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}:${jsonText(v)}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

export function membersText(members: Members): string {
  return `{${members.map(([k, v]) => `${JSON.stringify(k)}:${jsonText(v)}`).join(',')}}`;
}

/** Every byte of the UTF-8 form percent-encoded: safe for any string, lone surrogates included. */
function percentEncode(value: string): string {
  return [...Buffer.from(value, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
}

// ---------------------------------------------------------------------------------------------
// characters and text

/** Characters that change how text reads, breaks or encodes. */
const NASTY_CHARS = [
  '\u0000',
  '\u0001',
  '\t',
  '\n',
  '\r',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u009f', // C0, DEL, C1
  '\u2028',
  '\u2029', // line and paragraph separators
  '\u200e',
  '\u200f',
  '\u202a',
  '\u202b',
  '\u202c',
  '\u202d',
  '\u202e',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
  '\u061c', // bidi
  '\ud800',
  '\udbff',
  '\udc00',
  '\udfff', // lone surrogates
  '\ufeff',
  '\u200b',
  '\u00a0',
  '\u3000',
  '\u0301',
  '\ufffd',
  '\uffff', // BOM, zero width, spaces, combining, specials
  '\u00ad',
  '\u200d',
  '\u{e0041}',
  '\ufdd0',
  '\u{10fffe}', // soft hyphen, joiner, tag, noncharacters
  '\u2800',
  '\u115f',
  '\u3164', // fillers: show nothing
  '"',
  '\\',
  '/',
  '%',
  '<',
  '>',
  '&',
  "'",
  '`',
  '=',
  '+',
  '-',
  '@',
  ' ',
  '中',
  'é',
  '😀',
  '١',
];

/** One UTF-16 unit or character, nasty more often than not. */
const nastyUnit = fc.oneof(
  { arbitrary: fc.constantFrom(...NASTY_CHARS), weight: 3 },
  { arbitrary: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), weight: 2 },
  { arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), weight: 1 },
  { arbitrary: fc.constantFrom('a', 'Z', '0', '.', '_'), weight: 2 },
);

const nastyString = fc.string({ unit: nastyUnit, maxLength: 24 });

/** Texts at and over the length limits (200 UTF-16 units), blank, invisible, padded, and very long. */
const edgeTexts = fc.constantFrom(
  '',
  ' ',
  '   ',
  '\u3000',
  '\u0000',
  'x'.repeat(200),
  'x'.repeat(201),
  '中'.repeat(201),
  '😀'.repeat(100),
  '😀'.repeat(101),
  'e\u0301'.repeat(150),
  'x'.repeat(100_000),
  ' padded ',
  'padded\u3000',
  '\u200b',
  '\u2800\u3164',
);

/** Characters free text may not hold: controls, separators, format characters, noncharacters, lone surrogates. */
const FORBIDDEN_CHARS = NASTY_CHARS.filter((c) =>
  /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Noncharacter_Code_Point}]/u.test(c),
);

/** Text with a forbidden character somewhere in it. */
const textWithForbidden = fc
  .tuple(nastyString, fc.constantFrom(...FORBIDDEN_CHARS), nastyString)
  .map((parts) => parts.join(''));

// ---------------------------------------------------------------------------------------------
// values of any field

/** Nested `depth` deep: arrays, or objects. */
function nested(depth: number, kind: 'array' | 'object'): RawJson {
  return kind === 'array'
    ? new RawJson('['.repeat(depth) + ']'.repeat(depth))
    : new RawJson('{"a":'.repeat(depth) + '1' + '}'.repeat(depth));
}

/** Values of the wrong type for any field, and JSON that stresses the parser. */
export const junkValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1.5, 1e308, 5e-324, [], {}, ['x'], { a: 1 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(
    new RawJson('1e999'),
    new RawJson('-1e999'),
    new RawJson('-0'),
    new RawJson('9007199254740993'),
    new RawJson('1' + '0'.repeat(400)),
    new RawJson('0.' + '0'.repeat(400) + '1'),
    new RawJson('{"__proto__":{"polluted":true}}'),
    new RawJson('{"constructor":{"prototype":{"polluted":true}}}'),
    new RawJson('"\\u0000"'),
    new RawJson('"\\ud800"'),
  ),
  fc.constantFrom(10, 1000, 100_000).chain((d) => fc.constantFrom(nested(d, 'array'), nested(d, 'object'))),
  fc.jsonValue({ maxDepth: 3 }),
  nastyString,
  edgeTexts,
);

// ---------------------------------------------------------------------------------------------
// money

const MAX_AMOUNT_FEN = 1_000_000_000_000_00n;

function fenText(fen: bigint): string {
  return `${fen / 100n}.${(fen % 100n).toString().padStart(2, '0')}`;
}

/** Amounts the DTO takes: positive, two decimals at most, up to the limit. */
export const validMoney = fc.oneof(
  fc.bigInt({ min: 1n, max: 100_000_00n }).map(fenText),
  fc.bigInt({ min: 1n, max: MAX_AMOUNT_FEN }).map(fenText),
  fc.constantFrom('0.01', '1', '1.5', '100.00', '1000000000000.00', '9999999.99'),
);

/** A valid amount ("1250.5") in fen. */
function fenOf(amount: string): bigint {
  const [whole, decimals = ''] = amount.split('.');
  return BigInt(whole) * 100n + BigInt(decimals.padEnd(2, '0'));
}

/** `amount` changed by `fen` (the result may be zero or negative: a bad amount then). */
export function addFen(amount: string, fen: bigint): string {
  const sum = fenOf(amount) + fen;
  return sum < 0n ? `-${fenText(-sum)}` : fenText(sum);
}

/** Amounts at and around `amount` (a valid amount): the same, a fen either side, half, double. */
export function moneyNear(amount: string): fc.Arbitrary<string> {
  const fen = fenOf(amount);
  return fc
    .constantFrom(fen, fen + 1n, fen - 1n, fen / 2n, fen * 2n)
    .filter((f) => f > 0n && f <= MAX_AMOUNT_FEN)
    .map(fenText);
}

const moneyOfBadShape = fc.oneof(
  fc.constantFrom(
    '+1.00',
    ' 1.00',
    '1.00 ',
    '1.001',
    '1.',
    '.5',
    '01.00',
    '00',
    '1e3',
    '1E3',
    '1e-2',
    '0x10',
    '1_000.00',
    '1,000.00',
    '1 000.00',
    '１００.００',
    '١٠٠',
    'NaN',
    'Infinity',
    '1.0.0',
    '',
    '¥100',
    '100元',
    '1e999',
  ),
  fc
    .tuple(
      fc.constantFrom('', '', '-', '+', ' ', '0'),
      fc.stringMatching(/^[0-9]{0,40}$/),
      fc.constantFrom('', '.', '.0', '.00', '.000', '.5', '.123', '.-1'),
      fc.constantFrom('', '', 'e3', 'E-2', ' ', '\u0000', 'a'),
    )
    .map((parts) => parts.join('')),
);

const moneyOutOfRange = fc.oneof(
  fc.constantFrom('0', '0.00', '0.0', '-0.01', '-5', '-0', '1000000000000.01', '9'.repeat(30), '9'.repeat(400)),
  fc.bigInt({ min: MAX_AMOUNT_FEN + 1n, max: MAX_AMOUNT_FEN * 10n ** 20n }).map(fenText),
  validMoney.map((m) => `-${m}`),
);

const moneyAsNumber = fc.oneof(
  fc.constantFrom(100, 1.5, 0.001, -1, 1e21, 1e-7, new RawJson('100.00'), new RawJson('1e2')),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

// ---------------------------------------------------------------------------------------------
// business dates

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const DAY_MS = 86_400_000;

/** Calendar days from `min` to `max` (years), written YYYY-MM-DD. */
function calendarDay(minYear: number, maxYear: number): fc.Arbitrary<string> {
  return fc
    .integer({ min: Date.UTC(minYear, 0, 1) / DAY_MS, max: Date.UTC(maxYear, 11, 31) / DAY_MS })
    .map((day) => new Date(day * DAY_MS).toISOString().slice(0, 10));
}

/** Calendar days from 2000-01-01 to 2100-12-31. */
export const validDay = calendarDay(2000, 2100);

/** `day` (YYYY-MM-DD) moved by `days`. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** A day within `span` days of `day`, before or after it (the day itself as often as any). */
export function dayNear(day: string, span = 800): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constant(day),
    fc.integer({ min: -span, max: span }).map((d) => addDays(day, d)),
  );
}

const dayNotInCalendar = fc.oneof(
  fc.constantFrom('2021-02-29', '2024-02-30', '2021-04-31', '2021-13-01', '2021-00-10', '2021-01-00', '2100-02-29'),
  fc
    .tuple(fc.integer({ min: 2000, max: 2100 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }))
    .map(([y, m, d]) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`),
);

const dayOutOfRange = fc.oneof(
  fc.constantFrom('0000-01-01', '9999-12-31', '1999-12-31', '2101-01-01', '0001-01-01'),
  calendarDay(1, 1999),
  calendarDay(2101, 9999),
);

const dayOfBadFormat = fc.constantFrom(
  '2021-1-1',
  '20210101',
  '2021/01/01',
  '2021-01-01T00:00:00Z',
  ' 2021-01-01',
  '2021-01-01 ',
  '２０２１-01-01',
  '+02021-01-01',
  '-2021-01-01',
  '2021-01-01\u0000',
  '12021-01-01',
  '',
);

// ---------------------------------------------------------------------------------------------
// numbers

/** Numbers in [min, max], whole or (for a decimal field) with two decimals. */
export function validNumber(schema: FieldSchema): fc.Arbitrary<number> {
  const min = schema.minimum ?? 0;
  const max = schema.maximum ?? 1e6;
  if (schema.type === 'integer' || (Number.isInteger(min) && Number.isInteger(max) && max - min <= 1000))
    return fc.integer({ min: Math.ceil(min), max: Math.floor(max) });
  return fc.integer({ min: Math.ceil(min * 100), max: Math.floor(max * 100) }).map((n) => n / 100);
}

// ---------------------------------------------------------------------------------------------
// the classes of bad value of each kind of field

/** What a field holds, as its OpenAPI schema and name say. */
export type FieldKind = 'money' | 'day' | 'number' | 'code' | 'id' | 'text';

/** How the money pattern ends, and so every decimal string with two decimals (an area written "72.15"). */
const AMOUNT_DECIMALS = AMOUNT_PATTERN.source.slice(AMOUNT_PATTERN.source.lastIndexOf('('));

export function fieldKind(field: string, schema: FieldSchema | undefined): FieldKind {
  if (schema?.pattern?.endsWith(AMOUNT_DECIMALS)) return 'money';
  if (schema?.format === 'date') return 'day';
  if (schema?.type === 'integer' || schema?.type === 'number') return 'number';
  if (schema?.enum) return 'code';
  if (field.endsWith('Id')) return 'id';
  return 'text';
}

export interface BadValueClass {
  name: string;
  values: fc.Arbitrary<unknown>;
}

/**
 * The ways a value of `kind` can be wrong, each a class of its own, so that every class is tried
 * on every field (one class hides no other). `codes` are the values an enum field takes.
 */
export function badValueClasses(kind: FieldKind, schema: FieldSchema, codes: readonly string[]): BadValueClass[] {
  const anotherType = { name: 'another type', values: junkValue };
  switch (kind) {
    case 'money':
      return [
        { name: 'not a decimal string', values: moneyOfBadShape },
        { name: 'zero, negative or over the limit', values: moneyOutOfRange },
        { name: 'a JSON number', values: moneyAsNumber },
        anotherType,
      ];
    case 'day':
      return [
        { name: 'not a day of the calendar', values: dayNotInCalendar },
        { name: 'outside 2000-2100', values: dayOutOfRange },
        { name: 'not written YYYY-MM-DD', values: dayOfBadFormat },
        { name: 'a number or null', values: fc.constantFrom(20210101, 2021, null, new RawJson('1e999')) },
        anotherType,
      ];
    case 'number':
      return [
        { name: 'an exponent or an edge literal', values: numberEdgeLiteral(schema) },
        { name: 'out of range', values: numberOutOfRange(schema) },
        { name: 'not whole, or more than two decimals', values: numberNotWhole(schema) },
        { name: 'a string', values: numberAsString(schema) },
        anotherType,
      ];
    case 'code':
      return [
        { name: 'misspelt, padded or in another case', values: misspeltCode(codes) },
        { name: "unknown, or named like Object.prototype's members", values: prototypeNames },
        anotherType,
      ];
    case 'id':
      return [
        { name: 'characters an id may not hold', values: idOfBadCharacters },
        { name: 'empty or too long', values: fc.constantFrom('', 'a'.repeat(65), 'a'.repeat(1000)) },
        anotherType,
      ];
    case 'text':
      return [
        { name: 'control, format, noncharacter or lone surrogate characters', values: textWithForbidden },
        { name: 'blank, or at and over the length limit', values: edgeTexts },
        anotherType,
      ];
  }
}

function numberEdgeLiteral(schema: FieldSchema): fc.Arbitrary<unknown> {
  const max = schema.maximum ?? 1e6;
  return fc.constantFrom(
    1e-7,
    -1e-7,
    5e-324,
    1e308,
    1e21,
    2 ** 53,
    new RawJson('1e999'),
    new RawJson('-1e999'),
    new RawJson('-0'),
    new RawJson('9'.repeat(400)),
    new RawJson('0.' + '0'.repeat(400) + '1'),
    new RawJson(`${max}.001`),
    new RawJson('1E2'),
  );
}

function numberOutOfRange(schema: FieldSchema): fc.Arbitrary<unknown> {
  const min = schema.minimum ?? 0;
  const max = schema.maximum ?? 1e6;
  return fc.oneof(
    fc.constantFrom(min - 1, max + 1, min - 0.01, max + 0.01, 0, -1, -min, Number.MAX_SAFE_INTEGER),
    fc.integer({ min: -(2 ** 31), max: Math.floor(min) - 1 }),
    fc.integer({ min: Math.ceil(max) + 1, max: Math.max(Math.ceil(max) + 1, 2 ** 31) }),
  );
}

function numberNotWhole(schema: FieldSchema): fc.Arbitrary<unknown> {
  const min = schema.minimum ?? 0;
  const max = schema.maximum ?? 1e6;
  return fc.oneof(
    fc.integer({ min: Math.ceil(min), max: Math.floor(max) }).map((n) => n + 0.5),
    fc.integer({ min: Math.ceil(min), max: Math.floor(max) }).map((n) => n + 0.001),
    fc.double({ min, max, noNaN: true }),
  );
}

function numberAsString(schema: FieldSchema): fc.Arbitrary<unknown> {
  return fc.oneof(
    validNumber(schema).map(String),
    fc.constantFrom(`${schema.minimum ?? 0}.50`, ' 1', '0x10', '', '1e3', '１２'),
  );
}

function misspeltCode(codes: readonly string[]): fc.Arbitrary<unknown> {
  const some = codes.length > 0 ? fc.constantFrom(...codes) : fc.constant('basic');
  return fc.oneof(
    some.map((c) => c.toUpperCase()),
    some.map((c) => ` ${c}`),
    some.map((c) => `${c}\u0000`),
    some.map((c) => `${c}\u202e`),
    some.map((c) => c.replace(/_/g, '-')),
    some.map((c) => c.slice(0, -1)),
  );
}

const prototypeNames = fc.constantFrom('', 'x', 'constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf');

const idOfBadCharacters = fc.oneof(
  fc.constantFrom('-a', '.a', '_a', 'a b', 'a/b', 'a%2Fb', 'ä', '中', 'a\u0000', '..', 'a@b', 'a:b', ' a', 'a\n'),
  textWithForbidden,
);

/** Ids that are well formed and name nothing yet (or something of another kind). */
export const unknownId = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,12}$/),
  fc.constantFrom('constructor', '__proto__', 'toString', 'a'.repeat(64)),
);

// ---------------------------------------------------------------------------------------------
// unknown fields

/** Names no request takes: Object.prototype's members, and others. */
export const unknownFieldName = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'hasOwnProperty',
    'valueOf',
    'isPrototypeOf',
    '__defineGetter__',
    'type',
    'id',
    'data',
    'metadata',
    'actor',
    'details',
    '',
    ' ',
    'amount ',
    'Amount',
  ),
  nastyString,
);

// ---------------------------------------------------------------------------------------------
// whole bodies

/** Bodies that are no request: not JSON, JSON that is no object, or over the 1 MB limit. */
export const junkBody: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    'null',
    'true',
    '0',
    '"x"',
    '[]',
    '[{}]',
    '{',
    '{"a":}',
    "{'a':1}",
    '{"a":1,}',
    '{"a":1}{"b":2}',
    '\ufeff{}',
    'a=1&b=2',
    '<x/>',
    '{"a":"\\ud800"}',
    '{"a":"\\x00"}',
    '{"__proto__":{"polluted":true}}',
    '{"constructor":{"prototype":{"polluted":true}}}',
    '{"a":1,"a":2}',
  ),
  fc.constantFrom(10, 100_000).map((d) => '['.repeat(d) + ']'.repeat(d)),
  fc.constantFrom(100_000).map((d) => '{"a":'.repeat(d) + '1' + '}'.repeat(d)),
  fc.constant(`{"a":"${'x'.repeat(1024 * 1024)}"}`),
  fc.constant(
    Uint8Array.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc0, 0xaf, 0xed, 0xa0, 0x80, 0x22, 0x7d]),
  ),
  fc.uint8Array({ maxLength: 64 }),
  nastyString,
);

// ---------------------------------------------------------------------------------------------
// headers

/** A character fetch can put in a header value (no NUL, CR or LF; Latin-1 at most). */
const headerUnit = fc.oneof(
  fc.constantFrom('a', 'Z', '9', '.', '_', ':', '-', ' ', '\t', '@', '/', '"', ',', ';', '=', '*', '%'),
  fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
  fc.integer({ min: 0x80, max: 0xff }).map((c) => String.fromCharCode(c)),
);

/** Header values that no key, revision or id header takes, and a few that fit. */
export const headerValue = fc.oneof(
  fc.constantFrom('', ' ', 'a', 'a'.repeat(128), 'a'.repeat(129), 'a'.repeat(8192), 'a b', 'a@b', 'é', '\u00ff'),
  fc.string({ unit: headerUnit, maxLength: 40 }),
  fc.stringMatching(/^[A-Za-z0-9._:-]{1,12}$/),
);

/** Values of If-Match, stale, malformed and current. */
export const ifMatchValue = fc.oneof(
  fc.integer({ min: -2, max: 200 }).map((n) => `"${n}"`),
  fc.integer({ min: 0, max: 50 }).map((n) => `W/"${n}"`),
  fc.integer({ min: 0, max: 50 }).map(String),
  fc.constantFrom(
    '*',
    '"abc"',
    '"1", "2"',
    '""',
    '"99999999999999999999"',
    '"9223372036854775808"',
    '"-1"',
    'W/',
    '"1',
  ),
  headerValue,
);

/** Content types: JSON in other charsets and spellings, and no JSON at all. */
export const contentType = fc.oneof(
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'application/json; charset=utf8',
    'application/json; charset=UTF-8',
    'application/json;charset="utf-8"',
    'application/json; charset=utf-16',
    'application/json; charset=utf-16le',
    'application/json; charset=utf-16be',
    'application/json; charset=utf-32',
    'application/json; charset=utf-7',
    'application/json; charset=latin1',
    'application/json; charset=iso-8859-1',
    'application/json; charset=',
    'application/json; charset',
    'application/json; charset=utf-8; charset=utf-16',
    'APPLICATION/JSON',
    'application/json-patch+json',
    'application/vnd.api+json',
    'text/json',
    'text/plain',
    'text/plain; charset=utf-8',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/octet-stream',
    '*/*',
    'json',
    '',
  ),
  headerValue,
);

export const contentEncoding = fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'compress', 'gzip, gzip', 'x', '');

// ---------------------------------------------------------------------------------------------
// paths and queries

/** A path segment as written into the URL: percent-encoded text, broken escapes, dot segments, long. */
export const badPathSegment = fc.oneof(
  fc.constantFrom(
    '',
    '%',
    '%zz',
    '%ff',
    '%c0%af',
    '%00',
    '%0a',
    '%0d%0a',
    '%2F',
    'a%2Fb',
    '%2e%2e',
    '.',
    '%ed%a0%80',
    '%e2%80%ae',
    '%20',
    'a'.repeat(65),
    'a'.repeat(3000),
    'a'.repeat(20_000),
    '__proto__',
    'constructor',
    'toString',
    'hasOwnProperty',
    '%5B%5D',
    '*',
    ';',
  ),
  nastyString.map(percentEncode),
  unknownId.map(encodeURIComponent),
);

/** A query value as written into the URL. */
export const queryValue = fc.oneof(
  fc.constantFrom(
    '',
    '0',
    '-1',
    '1e3',
    '%201',
    '0x10',
    '1.5',
    '9223372036854775807',
    '9223372036854775808',
    '99999999999999999999999',
    '2021-02-30',
    '0000-01-01',
    '9999-12-31',
    '2021-12-31',
    '2021-12-31T23:59:59Z',
    '2021-12-31T23:59:59.999%2B08:00',
    'not-a-time',
    'csv',
    'xlsx',
    'json',
    'CSV',
    'pdf',
    'district_matching',
    'constructor',
    '__proto__',
    'project-TN2021-001',
    '%',
    '%zz',
    '%ff',
    '%00',
    'a'.repeat(5000),
  ),
  fc.integer({ min: -10, max: 3000 }).map(String),
  validDay,
  nastyString.map(percentEncode),
);

/** Query parameter names: the route's own, misspelt, as arrays or objects, and names it never takes. */
export function queryName(declared: readonly string[]): fc.Arbitrary<string> {
  const own = declared.length > 0 ? fc.constantFrom(...declared) : fc.constant('asOf');
  return fc.oneof(
    { arbitrary: own, weight: 4 },
    { arbitrary: own.map((n) => n.toLowerCase()), weight: 1 },
    { arbitrary: own.map((n) => `${n}[]`), weight: 1 },
    { arbitrary: own.map((n) => `${n}[a]`), weight: 1 },
    { arbitrary: own.map((n) => `${n}[__proto__]`), weight: 1 },
    {
      arbitrary: fc.constantFrom(
        '__proto__',
        'constructor',
        'toString',
        'x',
        '',
        '[]',
        'a[b][c]',
        '%',
        '%zz',
        'source',
      ),
      weight: 1,
    },
  );
}
