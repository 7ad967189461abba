import { ArgumentMetadata, ValidationError, ValidationPipe, applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, ValidateBy, ValidationOptions, validate } from 'class-validator';
import { SOURCE_CODES } from '../project/funding-sources';
import { describeValue } from '../shared/domain/data-shape';
import { DomainError } from '../shared/domain/domain-error';
import {
  AREA_PATTERN,
  AREA_RULE,
  DATE_MAX,
  DATE_MIN,
  FISCAL_YEAR_MAX,
  FISCAL_YEAR_MIN,
  FLOOR_MAX,
  FLOOR_MIN,
  ID_PATTERN,
  ID_RULE,
  dayProblem,
  floorProblem,
  areaProblem,
  textProblem,
} from '../shared/domain/input-rules';
import { AMOUNT_PATTERN } from '../shared/money/money';

/** The one body limit of the API (docs/api.md): a larger body is 413 body-too-large. */
export const BODY_LIMIT_BYTES = 1024 * 1024;
/**
 * A bank statement's limit (POST /api/bank-accounts/:id/statements, the one route taking a file):
 * a year of a busy special account, 100,000 lines of GBK CSV, is about 15 MB.
 */
export const STATEMENT_LIMIT_BYTES = 32 * 1024 * 1024;

/** A CNY amount: a string with at most two decimals. A JSON number is refused, naming the field. */
export function IsAmount(optional = false) {
  const ctx = { context: { code: 'invalid-amount' } };
  return applyDecorators(
    optional
      ? ApiPropertyOptional({ type: String, example: '1250.00', pattern: AMOUNT_PATTERN.source })
      : ApiProperty({ type: String, example: '1250.00', pattern: AMOUNT_PATTERN.source }),
    ...(optional ? [IsOptional()] : []),
    IsString({ message: '$property must be a string such as "1250.00", not a JSON number', ...ctx }),
    Matches(AMOUNT_PATTERN, {
      message: '$property must be a positive decimal string with at most two decimals, such as "1250.00"',
      ...ctx,
    }),
  );
}

export function IsId(optional = false, example = 'TN2021-017') {
  return applyDecorators(
    optional ? ApiPropertyOptional({ example }) : ApiProperty({ example }),
    ...(optional ? [IsOptional()] : []),
    IsString({ message: '$property must be a string' }),
    Matches(ID_PATTERN, { message: `$property ${ID_RULE}`, context: { code: 'invalid-id' } }),
  );
}

/**
 * One check with a message that says what is wrong with the value it got: `problem` answers why
 * (or null when the value fits). A field with several class-validator checks reports whichever
 * was registered first, which told a string "12500.50" it "must not be less than 0.01".
 */
function Fits(name: string, problem: (value: unknown) => string | null, options: ValidationOptions = {}) {
  return ValidateBy(
    {
      name,
      validator: {
        validate: (value) => problem(value) === null,
        defaultMessage: (args) => `$property ${problem(args?.value) ?? 'is invalid'}`,
      },
    },
    options,
  );
}

/** Free text (names, payers, reasons...): the rules of `textProblem`, which the deciders hold too. */
export function IsText(optional = false, example?: string) {
  return applyDecorators(
    optional ? ApiPropertyOptional({ example }) : ApiProperty({ example }),
    ...(optional ? [IsOptional()] : []),
    Fits('isLedgerText', textProblem),
  );
}

/** A business date: a calendar day written YYYY-MM-DD from DATE_MIN to DATE_MAX. */
export function IsDay(optional = false) {
  const doc = { example: '2021-12-01', format: 'date', description: `a calendar day from ${DATE_MIN} to ${DATE_MAX}` };
  return applyDecorators(
    optional ? ApiPropertyOptional(doc) : ApiProperty(doc),
    ...(optional ? [IsOptional()] : []),
    Fits('isBusinessDay', dayProblem, { context: { code: 'invalid-date' } }),
  );
}

export function IsFiscalYear(optional = false) {
  const doc = { example: 2021, minimum: FISCAL_YEAR_MIN, maximum: FISCAL_YEAR_MAX };
  return applyDecorators(
    optional ? ApiPropertyOptional(doc) : ApiProperty(doc),
    ...(optional ? [IsOptional()] : []),
    Fits('isFiscalYear', wholeNumberProblem(FISCAL_YEAR_MIN, FISCAL_YEAR_MAX, 'a whole year', 2021), {
      context: { code: 'invalid-fiscal-year' },
    }),
  );
}

/** A JSON number that is a whole number from `min` to `max`: households, years. */
export function IsWholeNumber(min: number, max: number, what: string, example: number) {
  return applyDecorators(
    ApiProperty({ example, minimum: min, maximum: max, type: 'integer' }),
    Fits('isWholeNumber', wholeNumberProblem(min, max, what, example)),
  );
}

function wholeNumberProblem(min: number, max: number, what: string, example: number) {
  return (value: unknown): string | null => {
    if (typeof value !== 'number') return notANumber(what, example, value);
    if (!Number.isInteger(value) || value < min || value > max)
      return `must be ${what} from ${min} to ${max} (got ${value})`;
    return null;
  };
}

/** A JSON number with at most two decimals from `min` to `max` (a building's area in m²). */
export function IsDecimalNumber(min: number, max: number, what: string, example: number) {
  return applyDecorators(
    ApiProperty({ example, minimum: min, maximum: max, description: `${what}, at most two decimals` }),
    Fits('isDecimalNumber', (value) => {
      if (typeof value !== 'number') return notANumber(what, example, value);
      // Judged on the number's shortest decimal form (how JSON wrote it): 1e-7 or 5e-324 is no
      // area with two decimals, and a NaN or an infinity cannot come out of JSON at all.
      if (!/^\d+(\.\d{1,2})?$/.test(String(value)) || value < min || value > max)
        return `must be ${what} from ${min} to ${max} with at most two decimals (got ${value})`;
      return null;
    }),
  );
}

function notANumber(what: string, example: number, value: unknown): string {
  return `must be ${what}, written as a JSON number such as ${example} (got ${describeValue(value)})`;
}

/** A funding source code (the table of GET /api/funding-sources); `documented` lists those the route takes. */
export function IsSourceCode(documented: readonly string[] = SOURCE_CODES) {
  const codes = new Set(SOURCE_CODES);
  return applyDecorators(
    ApiProperty({ enum: documented }),
    IsString({ message: '$property must be a funding source code' }),
    Fits(
      'isSourceCode',
      (value) =>
        typeof value === 'string' && codes.has(value)
          ? null
          : `${describeValue(value)} is not a funding source code (see GET /api/funding-sources)`,
      { context: { code: 'unknown-source' } },
    ),
  );
}

/** Refuses unknown fields and wrong types with `{error, message, field}`; nothing is written. */
export function ledgerValidationPipe(): ValidationPipe {
  return new LedgerValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: false,
    validationError: { target: false, value: true },
    exceptionFactory: (errors) => toDomainError(errors),
  });
}

/**
 * A body must be a JSON object before its fields are judged (`[1]` or `"x"` is not a request).
 * A DTO body is then validated as it came, on an object given the DTO's prototype: the handlers
 * take the body untransformed (`transform: false`), so class-transformer's copy, which cost more
 * than the validation itself, is skipped. Anything else goes through the standard pipe.
 */
class LedgerValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'body') return super.transform(value, metadata);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new DomainError('invalid-body', 'the request body must be a JSON object', 400);
    }
    // No DTO has a field named like a member of Object.prototype; class-validator's whitelist
    // misses most of them (it looks keys up in a plain object), `constructor` breaks its metadata
    // lookup and `__proto__` (an own key after JSON.parse) would re-parent the object.
    for (const key of Object.keys(value)) {
      if (key in Object.prototype)
        throw new DomainError('unknown-field', `${key} is not a field of this request`, 400, key);
    }
    const dto = metadata.metatype;
    if (!dto || !this.toValidate(metadata)) return value;
    await validateBodyAs(dto, value);
    return value;
  }
}

/**
 * Judges a JSON object body by `dto`'s checks, as the pipe judges a route's body: for a route whose
 * body is one of several DTOs (a milestone, by its `kind`), which the route picks itself.
 */
export async function validateBodyAs(dto: Function, value: object): Promise<void> {
  const errors = await validate(
    Object.assign(Object.create(dto.prototype as object) as object, value),
    BODY_VALIDATION,
  );
  if (errors.length > 0) throw toDomainError(errors);
  // What the DTO lets through for the decider to judge (a household, a ballot, a key) is walked
  // by recursive code (the request's hash first): it may not nest without bound.
  const deep = nestedTooDeep(value);
  if (deep !== null)
    throw new DomainError('invalid-field', `${deep} is nested more than ${BODY_DEPTH_MAX} levels deep`, 400, deep);
}

/** How deep a body's objects and arrays may nest (the body itself is level 1); a request needs a few. */
export const BODY_DEPTH_MAX = 32;

/**
 * Where a body nests objects or arrays deeper than BODY_DEPTH_MAX: the member holding the deep
 * value, written as the decider names fields (`ballots[0].choice`), or null. Walked with a
 * stack of its own, so a body nested 100,000 deep is measured, not recursed into.
 */
function nestedTooDeep(body: object): string | null {
  const stack: { value: unknown; depth: number; member: string }[] = [{ value: body, depth: 1, member: '' }];
  while (stack.length > 0) {
    const { value, depth, member } = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth > BODY_DEPTH_MAX) return member;
    for (const [key, inner] of Object.entries(value))
      stack.push({ value: inner, depth: depth + 1, member: memberName(member, key, value, inner) });
  }
  return null;
}

/**
 * The name of `inner`, held at `key` of `outer`, itself named `parent`: `a.b` in an object, `a[0]`
 * for an object in an array; any other item of an array goes by the array's name (`choice`).
 */
function memberName(parent: string, key: string, outer: object, inner: unknown): string {
  if (!Array.isArray(outer)) return parent ? `${parent}.${key}` : key;
  return inner !== null && typeof inner === 'object' && !Array.isArray(inner) ? `${parent}[${key}]` : parent;
}

const BODY_VALIDATION = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  validationError: { target: false, value: true },
};

function toDomainError(errors: ValidationError[], prefix = ''): DomainError {
  const first = errors[0];
  if (!first) return new DomainError('invalid-body', 'the request body must be a JSON object', 400);
  const field = prefix + first.property;
  if (first.children && first.children.length > 0 && !first.constraints)
    return toDomainError(first.children, `${field}.`);
  const [name, message] = Object.entries(first.constraints ?? {})[0] ?? ['invalid', `${field} is invalid`];
  if (name === 'whitelistValidation')
    return new DomainError('unknown-field', `${field} is not a field of this request`, 400, field);
  if (name === 'unknownValue') return new DomainError('invalid-body', 'the request body must be a JSON object', 400);
  if (first.value === undefined) return new DomainError('missing-field', `${field} is required`, 400, field);
  const code = (first.contexts?.[name] as { code?: string } | undefined)?.code ?? 'invalid-field';
  return new DomainError(code, message.replace(first.property, field), 400, field);
}

/**
 * A list of JSON objects, 1 to `max` of them (`min` 0 allows an empty list). Only the list is
 * judged here: the decider judges each object's fields and names them (`households[3].floor`), so
 * every door refuses the same way. `doc` is the OpenAPI shape of an item.
 */
export function IsObjectList(max: number, doc: Function, options: { optional?: boolean; min?: number } = {}) {
  const min = options.min ?? 1;
  return applyDecorators(
    (options.optional ? ApiPropertyOptional : ApiProperty)({ type: [doc], minItems: min, maxItems: max }),
    ...(options.optional ? [IsOptional()] : []),
    Fits('isObjectList', (value) => {
      if (!Array.isArray(value)) return `must be a list of objects (got ${describeValue(value)})`;
      if (value.length < min || value.length > max) return `must hold ${min} to ${max} items (got ${value.length})`;
      const i = value.findIndex((v) => !isJsonObject(v));
      return i < 0 ? null : `[${i}] must be an object (got ${describeValue(value[i])})`;
    }),
  );
}

/** A JSON object whose fields the decider judges (a scope, a cost-sharing key); `doc` is its OpenAPI shape. */
export function IsJsonObject(doc: Function, example?: object, optional = false) {
  return applyDecorators(
    optional ? ApiPropertyOptional({ type: doc, example }) : ApiProperty({ type: doc, example }),
    ...(optional ? [IsOptional()] : []),
    Fits('isJsonObject', (value) => (isJsonObject(value) ? null : `must be an object (got ${describeValue(value)})`)),
  );
}

/** A list of free texts (document numbers, channels), `min` to `max` of them, each by the text rules. */
export function IsTextList(max: number, example: string[], min = 0) {
  return applyDecorators(
    ApiProperty({ type: [String], example, minItems: min, maxItems: max }),
    Fits('isTextList', (value) => {
      if (!Array.isArray(value)) return `must be a list of texts (got ${describeValue(value)})`;
      if (value.length < min || value.length > max) return `must hold ${min} to ${max} texts (got ${value.length})`;
      const i = value.findIndex((v) => textProblem(v) !== null);
      return i < 0 ? null : `[${i}] ${textProblem(value[i])}`;
    }),
  );
}

/** A list of codes of `values`, 1 to all of them, each once. */
export function IsCodeList(values: readonly string[], example: string[]) {
  return applyDecorators(
    ApiProperty({
      type: 'array',
      items: { type: 'string', enum: [...values] },
      example,
      minItems: 1,
      maxItems: values.length,
    }),
    Fits('isCodeList', (value) => {
      if (!Array.isArray(value) || value.length < 1 || value.length > values.length)
        return `must be a list of 1 to ${values.length} of ${values.join(', ')} (got ${describeValue(value)})`;
      const i = value.findIndex((v) => typeof v !== 'string' || !values.includes(v));
      if (i >= 0) return `[${i}] must be one of ${values.join(', ')} (got ${describeValue(value[i])})`;
      const twice = value.find((v, j) => value.indexOf(v) !== j);
      return twice === undefined ? null : `names ${String(twice)} twice`;
    }),
  );
}

/** A list of ids (budget lines, households), 1 to `max` of them (`min` 0 allows none). */
export function IsIdList(max: number, example: string[], options: { optional?: boolean; min?: number } = {}) {
  const min = options.min ?? 1;
  return applyDecorators(
    (options.optional ? ApiPropertyOptional : ApiProperty)({ type: [String], example, minItems: min, maxItems: max }),
    ...(options.optional ? [IsOptional()] : []),
    Fits(
      'isIdList',
      (value) => {
        if (!Array.isArray(value)) return `must be a list of ids (got ${describeValue(value)})`;
        if (value.length < min || value.length > max) return `must hold ${min} to ${max} ids (got ${value.length})`;
        const i = value.findIndex((v) => typeof v !== 'string' || !ID_PATTERN.test(v));
        return i < 0 ? null : `[${i}] ${ID_RULE} (got ${describeValue(value[i])})`;
      },
      { context: { code: 'invalid-id' } },
    ),
  );
}

/** An area in m²: a decimal string with at most two decimals (input-rules.ts AREA_PATTERN). */
export function IsArea(optional = false) {
  const doc = { type: String, example: '72.15', pattern: AREA_PATTERN.source, description: `m², ${AREA_RULE}` };
  return applyDecorators(
    optional ? ApiPropertyOptional(doc) : ApiProperty(doc),
    ...(optional ? [IsOptional()] : []),
    Fits('isArea', areaProblem, { context: { code: 'invalid-area' } }),
  );
}

/** A floor number (whole, basements negative). */
export function IsFloor(optional = false) {
  const doc = { type: 'integer' as const, example: 6, minimum: FLOOR_MIN, maximum: FLOOR_MAX };
  return applyDecorators(
    optional ? ApiPropertyOptional(doc) : ApiProperty(doc),
    ...(optional ? [IsOptional()] : []),
    Fits('isFloor', floorProblem),
  );
}

/** One of a fixed set of strings. */
export function IsOneOf(values: readonly string[], optional = false) {
  const doc = { enum: [...values] };
  return applyDecorators(
    optional ? ApiPropertyOptional(doc) : ApiProperty(doc),
    ...(optional ? [IsOptional()] : []),
    Fits('isOneOf', (value) =>
      typeof value === 'string' && values.includes(value)
        ? null
        : `must be one of ${values.join(', ')} (got ${describeValue(value)})`,
    ),
  );
}

/** true or false. */
export function IsFlag(optional = false) {
  return applyDecorators(
    optional ? ApiPropertyOptional({ type: Boolean }) : ApiProperty({ type: Boolean }),
    ...(optional ? [IsOptional()] : []),
    Fits('isFlag', (value) =>
      typeof value === 'boolean' ? null : `must be true or false (got ${describeValue(value)})`,
    ),
  );
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
