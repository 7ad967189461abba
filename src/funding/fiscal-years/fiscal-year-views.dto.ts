/** What the fiscal-year routes answer, as the OpenAPI document describes it. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FiscalYearActDto {
  @ApiProperty({ enum: ['closed', 'reopened'] }) act!: string;
  @ApiProperty({ format: 'date', description: 'the day of the act, by the ledger’s clock (UTC)' }) on!: string;
  @ApiPropertyOptional({ description: 'required to reopen; optional to close' }) reason?: string;
  @ApiProperty({ description: 'the actor who did it' }) by!: string;
}

export class FiscalYearViewDto {
  @ApiProperty({ example: 2022, description: '年度: the calendar year' }) fiscalYear!: number;
  @ApiProperty({ enum: ['open', 'closed'] }) status!: string;
  @ApiProperty({ type: 'integer', nullable: true, description: "the year stream's revision (null: never closed)" })
  revision!: number | null;
  @ApiProperty({ type: [FiscalYearActDto], description: 'every close and reopen, oldest first' })
  history!: FiscalYearActDto[];
}
