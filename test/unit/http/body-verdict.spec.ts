import 'reflect-metadata';
import { IsString, ValidateNested, getMetadataStorage, validate } from 'class-validator';
import { SeededRandom } from '../../../src/demo/seeded-random';
import { AddBudgetLineDto } from '../../../src/funding/add-budget-line/add-budget-line.dto';
import { ApproveProjectDto } from '../../../src/funding/approve-project/approve-project.dto';
import { DisburseFundsDto } from '../../../src/funding/disburse-funds/disburse-funds.dto';
import { AllocateFundsDto, IssueFundBatchDto, ReverseAllocationDto } from '../../../src/funding/fund-batches/fund-batch.dto';
import { PledgeFundingDto } from '../../../src/funding/pledge-funding/pledge-funding.dto';
import { ReceiveFundsDto } from '../../../src/funding/receive-funds/receive-funds.dto';
import { RegisterProjectDto } from '../../../src/funding/register-project/register-project.dto';
import { ReverseEntryDto } from '../../../src/funding/reverse-entry/reverse-entry.dto';
import { bodyVerdictOf } from '../../../src/http/body-verdict';

/**
 * The compiled verdict may only ever say "valid" where class-validator (as the pipe runs it)
 * finds no error, and should say it wherever class-validator does. Every write DTO is held to
 * class-validator over its valid body, every field set to each value of a pool of good and bad
 * values (or removed), unknown fields, and seeded random combinations of those.
 */
const OPTIONS = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true, validationError: { target: false, value: true } };

const VALID: [Function, Record<string, unknown>][] = [
  [RegisterProjectDto, { projectId: 'TN2021-001', name: '建设路片区', community: '建设路小区', town: '凉风垭街道', builtYear: 1998, buildingArea: 12500.5, households: 180 }],
  [ApproveProjectDto, { approvedInvestment: '9800000.00', docNo: '潼南发改投〔2021〕123号', approvedOn: '2021-05-01' }],
  [AddBudgetLineDto, { lineId: 'B1', category: 'basic', item: 'roof', estimatedCost: '120000.00' }],
  [AddBudgetLineDto, { lineId: 'B2', category: 'basic', item: 'pipes', utility: 'water', estimatedCost: '5.5' }],
  [PledgeFundingDto, { pledgeId: 'P-001', source: 'central_subsidy', amount: '1000.00', payer: '财政局', fiscalYear: 2021, pledgedOn: '2021-05-02' }],
  [ReceiveFundsDto, { receiptId: 'R-001', source: 'resident_direct', amount: '12.34', payer: '张三', reference: '银行流水 001', receivedOn: '2021-06-01', fiscalYear: 2021, householdId: 'H-3-201' }],
  [ReceiveFundsDto, { receiptId: 'R-002', source: 'central_subsidy', amount: '810000', payer: '财政局', reference: 'v', receivedOn: '2021-06-01', fiscalYear: 2021, pledgeId: 'P-1', lineId: 'B1', allocationId: 'A-1' }],
  [DisburseFundsDto, { paymentId: 'D-001', source: 'central_subsidy', lineId: 'B1', amount: '100.00', payee: '建设公司', voucher: '凭证 1', paidOn: '2021-07-01', fiscalYear: 2021 }],
  [ReverseEntryDto, { reversalId: 'X-1', entryId: 'R-001', reason: '退票' }],
  [ReverseEntryDto, { reversalId: 'X-2', entryId: 'R-001', amount: '1.00', reason: '退票', reversedOn: '2021-08-01' }],
  [IssueFundBatchDto, { batchId: 'YCJ2021-88', source: 'municipal_subsidy', program: 'renovation', docNo: '渝财建〔2021〕88号', fiscalYear: 2021, amount: '1000000.00', issuedOn: '2021-03-01' }],
  [AllocateFundsDto, { allocationId: 'A-001', projectId: 'TN2021-017', amount: '10.00' }],
  [ReverseAllocationDto, { reversalId: 'AR-1', allocationId: 'A-001', reason: '调整', amount: '1.00', reversedOn: '2021-09-01' }],
];

const POOL: unknown[] = [
  undefined, null, '', ' ', 'x', 'TN2021-001', '-abc', 'a'.repeat(64), 'a'.repeat(65), 'a'.repeat(200), 'a'.repeat(201),
  '1250.00', '1250', '0.01', '0', '0.00', '-1.00', '1.234', '1e3', '12.5', ' 1.00', '１２', '2021-06-01', '2021-6-1', '2021/06/01',
  'central_subsidy', 'basic', 'water', 'renovation',
  0, 1, 12.5, 12.345, -1, 1899, 1900, 1999, 2000, 2021, 2100, 2101, 2021.5, Number.NaN, Number.POSITIVE_INFINITY, 1e21,
  true, false, [], ['x'], {}, { a: 1 }, '2021', '12500.5',
];

async function classValidatorSays(dto: Function, body: Record<string, unknown>): Promise<boolean> {
  const instance = Object.assign(Object.create(dto.prototype as object) as object, body);
  return (await validate(instance, OPTIONS)).length === 0;
}

function verdictSays(dto: Function, body: Record<string, unknown>): boolean {
  const verdict = bodyVerdictOf(dto);
  if (!verdict) throw new Error(`${dto.name} has no verdict`);
  return verdict(Object.assign(Object.create(dto.prototype as object) as object, body));
}

function withValue(body: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const copy = { ...body };
  if (value === undefined) delete copy[key];
  else copy[key] = value;
  return copy;
}

describe('the compiled body verdict agrees with class-validator', () => {
  it.each(VALID.map(([dto, body]) => [dto.name, dto, body] as const))('%s: its valid body is valid to both', async (_name, dto, body) => {
    expect(await classValidatorSays(dto, body)).toBe(true);
    expect(verdictSays(dto, body)).toBe(true);
  });

  it.each(VALID.map(([dto, body]) => [dto.name, dto, body] as const))('%s: every field set to every pool value, removed, or joined by an unknown field', async (_name, dto, body) => {
    const fields = knownFields(dto);
    let valid = 0;
    let invalid = 0;
    for (const key of [...fields, 'unknownField']) {
      for (const value of POOL) {
        const mutated = withValue(body, key, value);
        const expected = await classValidatorSays(dto, mutated);
        if (verdictSays(dto, mutated) !== expected) throw new Error(`${dto.name} ${key}=${JSON.stringify(value)}: class-validator says ${expected ? 'valid' : 'invalid'}`);
        if (expected) valid += 1;
        else invalid += 1;
      }
    }
    expect(valid).toBeGreaterThan(0);
    expect(invalid).toBeGreaterThan(fields.length);
  });

  it('seeded random combinations of several fields agree too', async () => {
    const random = new SeededRandom(20261130);
    let disagreements = 0;
    let validSeen = 0;
    for (let i = 0; i < 3000; i++) {
      const [dto, base] = random.pick(VALID);
      const fields = [...knownFields(dto), 'extra'];
      let body = { ...base };
      for (let k = random.int(1, 3); k > 0; k--) body = withValue(body, random.pick(fields), random.pick(POOL));
      const expected = await classValidatorSays(dto, body);
      if (verdictSays(dto, body) !== expected) disagreements += 1;
      if (expected) validSeen += 1;
    }
    expect(disagreements).toBe(0);
    expect(validSeen).toBeGreaterThan(100);
  });

  it('a JSON body parsed from text (the path the pipe sees) agrees, unicode and all', async () => {
    const body = JSON.parse('{"receiptId":"R-9","source":"resident_direct","amount":"0.01","payer":"李四\\u0000","reference":"r","receivedOn":"2021-06-01","fiscalYear":2021}') as Record<string, unknown>;
    expect(verdictSays(ReceiveFundsDto, body)).toBe(await classValidatorSays(ReceiveFundsDto, body));
  });

  it('a DTO with a nested, `each` or unknown-to-it validation gets no verdict: class-validator judges every body', () => {
    class Inner {
      @IsString() a!: string;
    }
    class Nested {
      @ValidateNested() inner!: Inner;
    }
    class Each {
      @IsString({ each: true }) tags!: string[];
    }
    class Bare {
      a?: string;
    }
    expect(bodyVerdictOf(Nested)).toBeNull();
    expect(bodyVerdictOf(Each)).toBeNull();
    expect(bodyVerdictOf(Bare)).toBeNull(); // no metadata: class-validator's unknownValue error
    expect(bodyVerdictOf(Inner)).not.toBeNull();
  });
});

/** The DTO's fields as its decorators declare them (the same metadata the verdict reads). */
function knownFields(dto: Function): string[] {
  return [...new Set(getMetadataStorage().getTargetValidationMetadatas(dto, '', false, false).map((m) => m.propertyName))];
}
