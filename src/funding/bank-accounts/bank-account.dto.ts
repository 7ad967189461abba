import { ApiProperty } from '@nestjs/swagger';
import { RecordMatch } from '../../bank-account/bank-account.commands';
import { MATCH_DECISIONS, MatchDecision } from '../../bank-account/bank-account.events';
import { IsDay, IsId, IsIdList, IsObjectList, IsOneOf, IsText } from '../../http/validation';

/** POST /api/bank-accounts: a project's special account (专户), or the district's account for residents' and utilities' money. */
export class OpenBankAccountDto {
  @IsId(false, 'ZH-GL-001') accountId!: string;
  @IsText(false, '桂林街道老旧小区改造资金专户') name!: string;
  @IsText(false, '中国农业银行潼南支行') bank!: string;
  /** Digits, with spaces or hyphens between groups; the decider judges it (invalid-account-no). */
  @IsText(false, '3105 0101 0400 12345') accountNo!: string;
  /** The projects whose receipts and payments go through the account. */
  @IsIdList(1000, ['TN2021-017'], { optional: true, min: 0 }) projectIds?: string[];
}

/** A ledger entry a match names: a receipt or payment of one of the account's projects. */
export class EntryRefDto {
  @ApiProperty({ example: 'TN2021-017' }) projectId!: string;
  @ApiProperty({ example: 'R-001', description: 'a receiptId or paymentId' }) entryId!: string;
}

/** POST /api/bank-accounts/:id/matches: a finance user's decision on statement lines and ledger entries. */
export class RecordMatchDto {
  @IsId(false, 'M-001') matchId!: string;
  @IsOneOf(MATCH_DECISIONS) decision!: MatchDecision;
  @IsIdList(1000, ['L12']) lineIds!: string[];
  @IsObjectList(1000, EntryRefDto) entries!: EntryRefDto[];
  /** Required for `manual` and `rejected`. */
  @IsText(true, '银行手续费与付款合并扣收') reason?: string;
  /** The decision's date; today (UTC) when absent. */
  @IsDay(true) decidedOn?: string;
}

/** The decider's command from a decision as posted (a bank account's, or the treasury's), dated `today` when it gives no date. */
export function recordMatchOf(dto: RecordMatchDto, today: string): RecordMatch {
  const { matchId, decision, lineIds, entries, reason, decidedOn } = dto;
  return {
    type: 'RecordMatch',
    matchId,
    decision,
    lineIds,
    entries: entries.map(({ projectId, entryId }) => ({ projectId, entryId })),
    ...(reason !== undefined ? { reason } : {}),
    decidedOn: decidedOn ?? today,
  };
}
