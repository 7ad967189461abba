import 'reflect-metadata';
import { pledgeFundingCommand, PledgeFundingDto } from '../../../src/funding/pledge-funding/pledge-funding.dto';
import { ledgerValidationPipe } from '../../../src/http/validation';
import { projectDecider } from '../../../src/project/project.decider';
import { fold } from '../../../src/shared/domain/decider';
import { DomainError } from '../../../src/shared/domain/domain-error';
import { FISCAL_YEAR_MAX, FISCAL_YEAR_MIN, TEXT_MAX } from '../../../src/shared/domain/input-rules';
import { PROJECT_ID, budgeted } from '../../support/project-fixtures';

/**
 * One set of input rules (ids, text limits, fiscal years, date format) at both doors: a value
 * the HTTP body validation takes, the decider takes, and a value one refuses, the other refuses
 * with the same code. The decider judges more than the shape (a real calendar date, text that is
 * not blank), so those are refused by the decider alone.
 */
const BODY = {
  pledgeId: 'P-1',
  source: 'district_matching',
  amount: '100.00',
  payer: '潼南区财政局',
  fiscalYear: 2021,
  pledgedOn: '2021-12-02',
};

/** What a door answers when it takes the value. */
const TAKEN = 'taken';

/** The error code the HTTP body validation gives, or TAKEN. */
async function bodyRefusal(body: Record<string, unknown>): Promise<string> {
  try {
    await ledgerValidationPipe().transform(body, { type: 'body', metatype: PledgeFundingDto });
    return TAKEN;
  } catch (err) {
    return (err as DomainError).code;
  }
}

/** The error code the decider gives for the same body on a registered project, or TAKEN. */
function deciderRefusal(body: Record<string, unknown>): string {
  try {
    projectDecider.decide(pledgeFundingCommand(PROJECT_ID, body as never), fold(projectDecider, budgeted()));
    return TAKEN;
  } catch (err) {
    return (err as DomainError).code;
  }
}

describe('the input rules the DTOs and the deciders share', () => {
  it.each<{ what: string; field: string; value: unknown; code: string }>([
    { what: 'a 64-character id', field: 'pledgeId', value: 'P'.repeat(64), code: TAKEN },
    { what: 'a 65-character id', field: 'pledgeId', value: 'P'.repeat(65), code: 'invalid-id' },
    { what: "an id starting with '-'", field: 'pledgeId', value: '-P1', code: 'invalid-id' },
    { what: 'an id with a space', field: 'pledgeId', value: 'P 1', code: 'invalid-id' },
    { what: `text of ${TEXT_MAX} characters`, field: 'payer', value: 'p'.repeat(TEXT_MAX), code: TAKEN },
    {
      what: `text of ${TEXT_MAX + 1} characters`,
      field: 'payer',
      value: 'p'.repeat(TEXT_MAX + 1),
      code: 'invalid-field',
    },
    { what: 'the first fiscal year', field: 'fiscalYear', value: FISCAL_YEAR_MIN, code: TAKEN },
    { what: 'the last fiscal year', field: 'fiscalYear', value: FISCAL_YEAR_MAX, code: TAKEN },
    { what: 'the year before the first', field: 'fiscalYear', value: FISCAL_YEAR_MIN - 1, code: 'invalid-fiscal-year' },
    { what: 'the year after the last', field: 'fiscalYear', value: FISCAL_YEAR_MAX + 1, code: 'invalid-fiscal-year' },
    { what: 'a fractional fiscal year', field: 'fiscalYear', value: 2021.5, code: 'invalid-fiscal-year' },
    { what: 'a leap day', field: 'pledgedOn', value: '2020-02-29', code: TAKEN },
    { what: 'a date with slashes', field: 'pledgedOn', value: '2021/12/02', code: 'invalid-date' },
    { what: 'a date with a one-digit day', field: 'pledgedOn', value: '2021-12-2', code: 'invalid-date' },
  ])('$what ($field): both doors answer $code', async ({ field, value, code }) => {
    const body = { ...BODY, [field]: value };
    expect(await bodyRefusal(body)).toBe(code);
    expect(deciderRefusal(body)).toBe(code);
  });

  it.each<[string, unknown, string]>([
    ['pledgedOn', '2021-02-30', 'invalid-date'],
    ['payer', '   ', 'invalid-field'],
  ])('%s %j has the shape the body takes, and the decider refuses it (%s)', async (field, value, code) => {
    const body = { ...BODY, [field]: value };
    expect(await bodyRefusal(body)).toBe(TAKEN);
    expect(deciderRefusal(body)).toBe(code);
  });
});
