import { ArgumentMetadata, ValidationError, ValidationPipe, applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, validate } from 'class-validator';
import { DomainError } from '../shared/domain/domain-error';
import {
  DATE_PATTERN,
  DATE_RULE,
  FISCAL_YEAR_MAX,
  FISCAL_YEAR_MIN,
  ID_PATTERN,
  ID_RULE,
  TEXT_MAX,
} from '../shared/domain/input-rules';
import { AMOUNT_PATTERN } from '../shared/money/money';

/** The one body limit of the API (docs/api.md): a larger body is 413 body-too-large. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

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

export function IsText(optional = false, example?: string) {
  return applyDecorators(
    optional ? ApiPropertyOptional({ example }) : ApiProperty({ example }),
    ...(optional ? [IsOptional()] : []),
    IsString({ message: '$property must be a string' }),
    MaxLength(TEXT_MAX, { message: `$property must be at most ${TEXT_MAX} characters` }),
  );
}

export function IsDay(optional = false) {
  return applyDecorators(
    optional
      ? ApiPropertyOptional({ example: '2021-12-01', format: 'date' })
      : ApiProperty({ example: '2021-12-01', format: 'date' }),
    ...(optional ? [IsOptional()] : []),
    IsString({ message: '$property must be a date string YYYY-MM-DD', context: { code: 'invalid-date' } }),
    Matches(DATE_PATTERN, { message: `$property ${DATE_RULE}`, context: { code: 'invalid-date' } }),
  );
}

export function IsFiscalYear() {
  const ctx = { context: { code: 'invalid-fiscal-year' } };
  return applyDecorators(
    ApiProperty({ example: 2021 }),
    IsInt({ message: '$property must be a whole year such as 2021', ...ctx }),
    Min(FISCAL_YEAR_MIN, { message: `$property must be ${FISCAL_YEAR_MIN} or later`, ...ctx }),
    Max(FISCAL_YEAR_MAX, { message: `$property must be ${FISCAL_YEAR_MAX} or earlier`, ...ctx }),
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
    const errors = await validate(
      Object.assign(Object.create(dto.prototype as object) as object, value),
      BODY_VALIDATION,
    );
    if (errors.length > 0) throw toDomainError(errors);
    return value;
  }
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
