import 'reflect-metadata';
import { pledgeFundingCommand, PledgeFundingDto } from '../../../src/funding/pledge-funding/pledge-funding.dto';
import { ledgerValidationPipe } from '../../../src/http/validation';
import { projectDecider } from '../../../src/project/project.decider';
import { fold } from '../../../src/shared/domain/decider';
import { DomainError } from '../../../src/shared/domain/domain-error';
import { DATE_MAX, DATE_MIN, FISCAL_YEAR_MAX, FISCAL_YEAR_MIN, TEXT_MAX } from '../../../src/shared/domain/input-rules';
import { PROJECT_ID, budgeted } from '../../support/project-fixtures';

/**
 * One set of input rules (ids, text, fiscal years, dates) at both doors: a value the HTTP body
 * validation takes, the decider takes, and a value one refuses, the other refuses with the same
 * code (a date that does not exist, blank text and text holding control or bidirectional-control
 * characters too: the body validation used to take those, and the message then named the
 * command's field, not the request's).
 */
const BODY = {
  pledgeId: 'P-1',
  source: 'district_matching',
  amount: '100.00',
  payer: '潼南区财政局',
  fiscalYear: 2021,
  pledgedOn: '2021-12-02',
};

/** What a spec expects when a door takes the value. */
const TAKEN = 'taken';

/** The refusal of the HTTP body validation, or null when it takes the body. */
async function bodyRefusal(body: Record<string, unknown>): Promise<DomainError | null> {
  try {
    await ledgerValidationPipe().transform(body, { type: 'body', metatype: PledgeFundingDto });
    return null;
  } catch (err) {
    return err as DomainError;
  }
}

/**
 * The decider's refusal of the same body on a registered project, or null when it takes it; recorded
 * on the last business day, so that no date the input rules take is in the future.
 */
function deciderRefusal(body: Record<string, unknown>): DomainError | null {
  try {
    projectDecider.decide(pledgeFundingCommand(PROJECT_ID, body as never, DATE_MAX), fold(projectDecider, budgeted()));
    return null;
  } catch (err) {
    return err as DomainError;
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
    { what: 'a date that does not exist', field: 'pledgedOn', value: '2021-02-30', code: 'invalid-date' },
    { what: 'the first business day', field: 'pledgedOn', value: DATE_MIN, code: TAKEN },
    { what: 'the last business day', field: 'pledgedOn', value: DATE_MAX, code: TAKEN },
    { what: 'year 0000', field: 'pledgedOn', value: '0000-01-01', code: 'invalid-date' },
    { what: 'year 9999', field: 'pledgedOn', value: '9999-12-31', code: 'invalid-date' },
    { what: 'the day before the first', field: 'pledgedOn', value: '1999-12-31', code: 'invalid-date' },
    { what: 'text of only spaces', field: 'payer', value: '   ', code: 'invalid-field' },
    { what: 'text of only NUL', field: 'payer', value: '\u0000', code: 'invalid-field' },
    { what: 'text with a NUL inside', field: 'payer', value: '潼南\u0000区', code: 'invalid-field' },
    { what: 'text with a line feed', field: 'payer', value: '潼南\n区', code: 'invalid-field' },
    { what: 'text with a tab', field: 'payer', value: '潼南\t区', code: 'invalid-field' },
    { what: 'text with DEL', field: 'payer', value: 'a\u007fb', code: 'invalid-field' },
    { what: 'text with a C1 control', field: 'payer', value: 'a\u0085b', code: 'invalid-field' },
    { what: 'text with a right-to-left override', field: 'payer', value: 'inv\u202Egnp.exe', code: 'invalid-field' },
    { what: 'text with a bidi isolate', field: 'payer', value: 'a\u2066b\u2069', code: 'invalid-field' },
    { what: 'text with a right-to-left mark', field: 'payer', value: 'a\u200Fb', code: 'invalid-field' },
    { what: 'text with a line separator', field: 'payer', value: 'a\u2028b', code: 'invalid-field' },
    { what: 'text with a lone high surrogate', field: 'payer', value: 'a\uD83Db', code: 'invalid-field' },
    { what: 'text with a lone low surrogate', field: 'payer', value: '\uDE00', code: 'invalid-field' },
    { what: 'text with an emoji (a surrogate pair)', field: 'payer', value: '潼南 😀', code: TAKEN },
    { what: 'text with a space inside', field: 'payer', value: '潼南区 财政局', code: TAKEN },
    { what: 'text with a 全角 space inside', field: 'payer', value: '潼南区\u3000财政局', code: TAKEN },
    { what: 'text with a variation selector at its end', field: 'payer', value: '葛\u{E0100}', code: TAKEN },
    { what: 'text ending in a space', field: 'payer', value: '梓潼街道 ', code: 'invalid-field' },
    { what: 'text starting with a 全角 space', field: 'payer', value: '\u3000梓潼街道', code: 'invalid-field' },
    { what: 'text ending in a no-break space', field: 'payer', value: '梓潼街道\u00A0', code: 'invalid-field' },
    { what: 'text ending in a Hangul filler', field: 'payer', value: '梓潼街道\u3164', code: 'invalid-field' },
    { what: 'text with a zero-width space', field: 'payer', value: '梓潼街道\u200B', code: 'invalid-field' },
    { what: 'text with a zero-width joiner', field: 'payer', value: '梓潼\u200D街道', code: 'invalid-field' },
    { what: 'text with a soft hyphen', field: 'payer', value: '梓潼\u00AD街道', code: 'invalid-field' },
    { what: 'text with a BOM', field: 'payer', value: '\uFEFF梓潼街道', code: 'invalid-field' },
    { what: 'text with a tag character', field: 'payer', value: '梓潼\u{E0041}街道', code: 'invalid-field' },
    { what: 'text with a noncharacter U+FFFF', field: 'payer', value: '梓潼\uFFFF', code: 'invalid-field' },
    { what: 'text with a noncharacter U+FDD0', field: 'payer', value: 'a\uFDD0b', code: 'invalid-field' },
    { what: 'text with a noncharacter U+10FFFE', field: 'payer', value: 'a\u{10FFFE}b', code: 'invalid-field' },
    ...['\u200B', '\u00AD', '\u{E0041}', '\u2800', '\u115F', '\u3164', '\u3000\u3000', '\uFFA0', '\u200B \u2800'].map(
      (value) => ({
        what: `text of only ${[...value].map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase()}`).join(' ')}`,
        field: 'payer',
        value,
        code: 'invalid-field',
      }),
    ),
  ])('$what ($field): both doors answer $code', async ({ field, value, code }) => {
    const body = { ...BODY, [field]: value };
    expect((await bodyRefusal(body))?.code ?? TAKEN).toBe(code);
    expect(deciderRefusal(body)?.code ?? TAKEN).toBe(code);
  });

  it.each<[string, unknown, RegExp]>([
    ['pledgedOn', '2024-02-30', /^pledgedOn is not a day of the calendar: 2024-02-30 does not exist$/],
    ['pledgedOn', '2024/02/03', /^pledgedOn must be a date written YYYY-MM-DD/],
    ['pledgedOn', '9999-12-31', new RegExp(`^pledgedOn must be from ${DATE_MIN} to ${DATE_MAX}`)],
    ['payer', '\u0000', /^payer must not hold control.*U\+0000 at position 0/],
    ['payer', '  ', /^payer must not be empty/],
    ['payer', '\u200B\u2800\u3164', /^payer must not be empty or only spaces: it holds no visible character$/],
    ['payer', '梓潼街道 ', /^payer must not start or end with a space or a filler \(U\+0020 at position 4\)$/],
    ['payer', '梓潼\u200B街道', /^payer must not hold .*format characters.*\(U\+200B at position 2\)$/],
    ['payer', 'a\uFFFF', /^payer must not hold .*noncharacters.*\(U\+FFFF at position 1\)$/],
  ])('%s %j: both doors say why in the same words', async (field, value, message) => {
    const body = { ...BODY, [field]: value };
    expect((await bodyRefusal(body))?.message).toMatch(message);
    expect(deciderRefusal(body)?.message).toMatch(message);
  });
});
