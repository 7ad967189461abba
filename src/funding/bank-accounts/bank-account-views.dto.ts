/** What the bank-account routes answer, as the OpenAPI document describes it. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { STATEMENT_FORMATS } from '../../bank-account/bank-account.events';
import { RuleReferenceDto, WriteResponse } from '../../http/openapi-responses';

const MONEY = { example: '1250.00', description: 'CNY, a decimal string with two decimals' };

export class BankAccountViewDto {
  @ApiProperty({ example: 'ZH-GL-001' }) accountId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() bank!: string;
  @ApiProperty({ description: 'in full for the finance and admin roles; others see `****` and the last four digits' })
  accountNo!: string;
  @ApiProperty({ type: [String] }) projectIds!: string[];
  @ApiProperty({ type: 'integer', description: 'statement lines imported' }) lineCount!: number;
  @ApiProperty({ type: String, nullable: true, ...MONEY, description: 'the running balance of the latest line' })
  balance!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date' }) balanceOn!: string | null;
  @ApiProperty({ type: 'integer' }) matchDecisions!: number;
}

export class BankAccountDetailDto extends BankAccountViewDto {
  @ApiProperty({ type: 'integer', description: "the account stream's revision" }) revision!: number;
}

export class StatementLineDto {
  @ApiProperty({ example: 'L12', description: "the account's id of the line ('' in a preview)" }) lineId!: string;
  @ApiProperty({ type: 'integer', description: 'the row in the file (1: the first)' }) row!: number;
  @ApiProperty({ format: 'date' }) date!: string;
  @ApiProperty({ enum: ['credit', 'debit'] }) direction!: string;
  @ApiProperty(MONEY) amount!: string;
  @ApiProperty({ ...MONEY, description: 'the running balance after the line' }) balance!: string;
  @ApiProperty({ description: 'personal data: masked for roles that may not see it' }) counterparty!: string;
  @ApiProperty({ description: 'personal data: masked for roles that may not see it' }) counterpartyAccount!: string;
  @ApiProperty({ description: '摘要 and 用途; personal data: masked for roles that may not see it' }) memo!: string;
  @ApiProperty({ description: "流水号 / 凭证号 ('' when the file has none)" }) serial!: string;
}

export class PreviewLineDto extends StatementLineDto {
  @ApiProperty({ enum: ['new', 'duplicate'] }) status!: string;
}

export class SkippedRowDto {
  @ApiProperty({ type: 'integer' }) row!: number;
  @ApiProperty() reason!: string;
}

export class StatementProblemDto {
  @ApiProperty({ type: 'integer' }) row!: number;
  @ApiProperty({ description: 'the code the import would be refused with' }) error!: string;
  @ApiProperty() message!: string;
}

class ImportFiguresDto {
  @ApiProperty({ enum: STATEMENT_FORMATS }) format!: string;
  @ApiProperty({ description: 'SHA-256, hex, of the file' }) fileHash!: string;
  @ApiProperty({ type: 'integer' }) headerRow!: number;
  @ApiProperty({ type: 'integer', description: 'lines written (0 in a preview or when all were imported before)' })
  imported!: number;
  @ApiProperty({
    type: [Number],
    description: 'rows already imported (same 流水号, or date, amount, counterparty and balance)',
  })
  duplicateRows!: number[];
  @ApiProperty({ type: [SkippedRowDto], description: 'header, title and footer rows' }) skippedRows!: SkippedRowDto[];
}

/** 201: the import written. */
export class StatementImportedDto extends WriteResponse {
  @ApiProperty({ enum: STATEMENT_FORMATS }) format!: string;
  @ApiProperty() fileHash!: string;
  @ApiProperty({ type: 'integer' }) headerRow!: number;
  @ApiProperty({ type: 'integer' }) imported!: number;
  @ApiProperty({ type: [Number] }) duplicateRows!: number[];
  @ApiProperty({ type: [SkippedRowDto] }) skippedRows!: SkippedRowDto[];
  @ApiPropertyOptional({
    type: 'integer',
    description: 'a file too large for one event: how many parts (events) it was cut into; the write is the last part',
  })
  parts?: number;
}

/** 200: a preview (`dryRun=true`), or a file whose every line was imported before: nothing written. */
export class StatementNotWrittenDto extends ImportFiguresDto {
  @ApiPropertyOptional({ type: [PreviewLineDto], description: 'a preview: every line read' }) lines?: PreviewLineDto[];
  @ApiPropertyOptional({ type: [StatementProblemDto], description: 'a preview: what would refuse the import' })
  problems?: StatementProblemDto[];
}

export class LedgerItemDto {
  @ApiProperty() projectId!: string;
  @ApiProperty() entryId!: string;
  @ApiProperty({ enum: ['receipt', 'payment'] }) kind!: string;
  @ApiProperty({ ...MONEY, description: 'net of reversals' }) amount!: string;
  @ApiProperty({ format: 'date' }) date!: string;
  @ApiProperty({ description: "a receipt's reference, a payment's voucher" }) reference!: string;
  @ApiProperty({ description: 'payer or payee, masked as personal data is' }) counterparty!: string;
}

export class MatchedGroupDto {
  @ApiProperty({ enum: ['reference', 'amount-date-counterparty', 'confirmed', 'manual'] }) basis!: string;
  @ApiPropertyOptional() matchId?: string;
  @ApiPropertyOptional() reason?: string;
  @ApiProperty({ type: [StatementLineDto] }) lines!: StatementLineDto[];
  @ApiProperty({ type: [LedgerItemDto] }) entries!: LedgerItemDto[];
  @ApiProperty({ ...MONEY, description: 'statement minus ledger, credits and receipts counted positive' })
  difference!: string;
}

/** 银行存款余额调节表 */
export class AdjustmentDto {
  @ApiProperty({ format: 'date' }) asOf!: string;
  @ApiProperty({ ...MONEY, description: '银行存款日记账余额' }) bookBalance!: string;
  @ApiProperty({ ...MONEY, description: '银行对账单余额' }) bankBalance!: string;
  @ApiProperty({ ...MONEY, description: '银收企未收' }) bankCreditedNotBooked!: string;
  @ApiProperty({ ...MONEY, description: '银付企未付' }) bankDebitedNotBooked!: string;
  @ApiProperty({ ...MONEY, description: '企收银未收' }) bookedReceiptsNotInBank!: string;
  @ApiProperty({ ...MONEY, description: '企付银未付' }) bookedPaymentsNotInBank!: string;
  @ApiProperty({ ...MONEY, description: 'differences of matches explained by their reason' })
  explainedDifferences!: string;
  @ApiProperty({ ...MONEY, description: '调节后的银行存款日记账余额' }) adjustedBookBalance!: string;
  @ApiProperty({ ...MONEY, description: '调节后的银行对账单余额' }) adjustedBankBalance!: string;
  @ApiProperty({ ...MONEY, description: 'adjusted bank minus adjusted book: the unexplained amount mismatches' })
  difference!: string;
  @ApiProperty() balanced!: boolean;
}

export class ReconciliationDto {
  @ApiProperty() accountId!: string;
  @ApiProperty({ example: '2023-06' }) month!: string;
  @ApiProperty({ type: 'integer' }) windowDays!: number;
  @ApiProperty({ type: RuleReferenceDto, description: 'the match-window rule applied' }) rule!: RuleReferenceDto;
  @ApiProperty({ type: [MatchedGroupDto] }) matched!: MatchedGroupDto[];
  @ApiProperty({ type: [StatementLineDto] }) statementOnly!: StatementLineDto[];
  @ApiProperty({ type: [LedgerItemDto] }) ledgerOnly!: LedgerItemDto[];
  @ApiProperty({ type: [MatchedGroupDto] }) amountMismatch!: MatchedGroupDto[];
  @ApiProperty({ type: AdjustmentDto }) adjustment!: AdjustmentDto;
}
