/** What the treasury-file routes answer, as the OpenAPI document describes it. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { STATEMENT_FORMATS } from '../../bank-account/bank-account.events';
import { RuleReferenceDto, WriteResponse } from '../../http/openapi-responses';
import { SkippedRowDto, StatementProblemDto } from '../bank-accounts/bank-account-views.dto';
import { TREASURY_MATCH_BASES, TreasuryMatch, TreasuryMatchBasis } from '../../treasury-file/treasury-reconciliation';

const MONEY = { example: '1250.00', description: 'CNY, a decimal string with two decimals' };
const PAYEE = 'personal data: masked for roles that may not see it';

export class TreasuryFileLineDto {
  @ApiProperty({ example: 'T12', description: "the treasury stream's id of the line ('' in a preview)" })
  lineId!: string;
  @ApiProperty({ type: 'integer', description: 'the row in the file (1: the first)' }) row!: number;
  @ApiProperty({ description: '支付凭证号' }) voucher!: string;
  @ApiProperty({ description: "指标文号 ('' when the file has none)" }) docNo!: string;
  @ApiProperty({ description: `收款人; ${PAYEE}` }) payee!: string;
  @ApiProperty(MONEY) amount!: string;
  @ApiProperty({ format: 'date', description: '支付日期' }) paidOn!: string;
  @ApiProperty({ description: "功能科目 ('' when the file has none)" }) functionCode!: string;
}

export class TreasuryPreviewLineDto extends TreasuryFileLineDto {
  @ApiProperty({ enum: ['new', 'duplicate'] }) status!: string;
}

/** 201: the import written. */
export class TreasuryFileImportedDto extends WriteResponse {
  @ApiProperty({ enum: STATEMENT_FORMATS }) format!: string;
  @ApiProperty({ description: 'SHA-256, hex, of the file' }) fileHash!: string;
  @ApiProperty({ type: 'integer' }) headerRow!: number;
  @ApiProperty({ type: 'integer', description: 'lines written' }) imported!: number;
  @ApiProperty({ type: [Number], description: 'rows whose 支付凭证号 was imported before' }) duplicateRows!: number[];
  @ApiProperty({ type: [SkippedRowDto], description: 'header, title and footer rows' }) skippedRows!: SkippedRowDto[];
}

/** 200: a preview (`dryRun=true`), or a file whose every line was imported before: nothing written. */
export class TreasuryFileNotWrittenDto {
  @ApiProperty({ enum: STATEMENT_FORMATS }) format!: string;
  @ApiProperty({ description: 'SHA-256, hex, of the file' }) fileHash!: string;
  @ApiProperty({ type: 'integer' }) headerRow!: number;
  @ApiProperty({ type: 'integer', description: '0: nothing was written' }) imported!: number;
  @ApiProperty({ type: [Number], description: 'rows whose 支付凭证号 was imported before' }) duplicateRows!: number[];
  @ApiProperty({ type: [SkippedRowDto], description: 'header, title and footer rows' }) skippedRows!: SkippedRowDto[];
  @ApiPropertyOptional({ type: [TreasuryPreviewLineDto], description: 'a preview: every line read' })
  lines?: TreasuryPreviewLineDto[];
  @ApiPropertyOptional({ type: [StatementProblemDto], description: 'a preview: what would refuse the import' })
  problems?: StatementProblemDto[];
}

export class TreasuryFilesDto {
  @ApiProperty({ type: 'integer', description: 'lines imported' }) lineCount!: number;
  @ApiProperty({ type: 'integer', nullable: true, description: "the treasury stream's revision (null: none yet)" })
  revision!: number | null;
  @ApiProperty({ type: [TreasuryFileLineDto] }) lines!: TreasuryFileLineDto[];
}

export class TreasuryPaymentItemDto {
  @ApiProperty() projectId!: string;
  @ApiProperty() paymentId!: string;
  @ApiProperty() allocationId!: string;
  @ApiProperty() batchId!: string;
  @ApiProperty({ ...MONEY, description: 'net of reversals' }) amount!: string;
  @ApiProperty({ format: 'date' }) paidOn!: string;
  @ApiProperty({ description: "the payment's voucher (支付凭证号)" }) voucher!: string;
  @ApiProperty({ description: PAYEE }) payee!: string;
  @ApiProperty({ description: "the 下达文号 of the allocation's batch ('' when the project does not know it)" })
  docNo!: string;
}

export class TreasuryMatchDto implements TreasuryMatch {
  @ApiProperty({
    enum: TREASURY_MATCH_BASES,
    description: "voucher or amount-date-payee: the ledger's own match; confirmed or manual: a finance user's decision",
  })
  basis!: TreasuryMatchBasis;
  @ApiPropertyOptional({ description: "the decision's id (confirmed or manual)" }) matchId?: string;
  @ApiPropertyOptional({ description: "the decision's reason" }) reason?: string;
  @ApiProperty({ type: [TreasuryFileLineDto], description: 'one, or as the decision groups them' })
  lines!: TreasuryFileLineDto[];
  @ApiProperty({ type: [TreasuryPaymentItemDto], description: 'one, or as the decision groups them' })
  payments!: TreasuryPaymentItemDto[];
  @ApiProperty({ ...MONEY, description: "the file's amount minus the ledger's" }) difference!: string;
}

export class TreasuryReconciliationDto {
  @ApiProperty({ example: '2023-06' }) month!: string;
  @ApiProperty({ type: 'integer' }) windowDays!: number;
  @ApiProperty({ type: RuleReferenceDto, description: 'the match-window rule applied' }) rule!: RuleReferenceDto;
  @ApiProperty({ type: [TreasuryMatchDto] }) matched!: TreasuryMatchDto[];
  @ApiProperty({ type: [TreasuryFileLineDto], description: 'lines the ledger has no treasury payment for' })
  fileOnly!: TreasuryFileLineDto[];
  @ApiProperty({ type: [TreasuryPaymentItemDto], description: 'treasury payments no file line pays' })
  ledgerOnly!: TreasuryPaymentItemDto[];
  @ApiProperty({ type: [TreasuryMatchDto] }) amountMismatch!: TreasuryMatchDto[];
  @ApiProperty({
    type: [TreasuryMatchDto],
    description: "matches whose 指标文号 is not the 下达文号 of the payment's batch",
  })
  docNoMismatch!: TreasuryMatchDto[];
}
