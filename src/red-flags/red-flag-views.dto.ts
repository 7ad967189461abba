/**
 * What `GET /api/red-flags` answers as JSON, as the OpenAPI document describes it. Each class
 * implements the type the code answers with, so the compiler holds the two together.
 */
import { ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { BoundsUsedDto } from '../audit/time-bounds.dto';
import {
  Evidence,
  FlagRule,
  RED_FLAG_CODE_LIST,
  RedFlagCode,
  SEVERITIES,
  Severity,
} from '../../projections/red-flags/red-flag-codes';
import {
  FlagCounts,
  RedFlagFilters,
  RedFlagList,
  RedFlagTotals,
  RedFlagTotalsView,
  RedFlagView,
} from './red-flag-report';

const TEXT_MAP = { type: 'object', additionalProperties: { type: 'string' } } as const;
const NULLABLE_TEXT = { type: String, nullable: true } as const;

class TextsDto {
  @ApiProperty() zh!: string;
  @ApiProperty() en!: string;
}

class EvidenceDto implements Evidence {
  @ApiProperty({ description: 'an event id, as GET /api/events lists it' }) eventId!: string;
  @ApiProperty({ example: '1042', description: 'its global position, a decimal string' }) position!: string;
}

class FlagRuleDto implements FlagRule {
  @ApiProperty({ example: 'red-flag-money-before-approval', description: 'the dated rule (GET /api/policies)' })
  ruleId!: string;
  @ApiProperty({ example: '《政府投资条例》（国务院令第712号） 第九条', description: 'document and clause' })
  citation!: string;
  @ApiProperty({ description: "the document's own words ('' for a local setting)" }) quote!: string;
}

export class RedFlagDto implements RedFlagView {
  @ApiProperty({
    example: 'RF-01/TN2021-017/project/1',
    description: 'code/project or batch/subject/occurrence: stable across rebuilds',
  })
  flagId!: string;
  @ApiProperty({ enum: RED_FLAG_CODE_LIST }) code!: RedFlagCode;
  @ApiProperty({ type: TextsDto, description: "the rule's name" }) title!: { zh: string; en: string };
  @ApiProperty({ enum: SEVERITIES }) severity!: Severity;
  @ApiProperty(NULLABLE_TEXT) projectId!: string | null;
  @ApiProperty(NULLABLE_TEXT) projectName!: string | null;
  @ApiProperty(NULLABLE_TEXT) town!: string | null;
  @ApiProperty(NULLABLE_TEXT) batchId!: string | null;
  @ApiProperty(NULLABLE_TEXT) lineId!: string | null;
  @ApiProperty({ ...NULLABLE_TEXT, description: 'personal: masked ("***") unless the role may see personal data' })
  householdId!: string | null;
  @ApiProperty(NULLABLE_TEXT) allocationId!: string | null;
  @ApiProperty(NULLABLE_TEXT) planId!: string | null;
  @ApiProperty({ example: 'project', description: 'what within the project (or batch) it is about' }) subject!: string;
  @ApiProperty({ format: 'date', description: 'the business date it became true' }) raisedAt!: string;
  @ApiProperty({
    type: String,
    format: 'date',
    nullable: true,
    description: 'the business date a later event cleared it',
  })
  clearedAt!: string | null;
  @ApiProperty({ description: 'still holding as of the bounds of the read' }) open!: boolean;
  @ApiProperty({ type: TextsDto, description: 'what was found, with the figures' }) message!: {
    zh: string;
    en: string;
  };
  @ApiProperty({ ...TEXT_MAP, description: 'the figures of the message; money as decimal strings' })
  figures!: Record<string, string>;
  @ApiProperty({ type: [EvidenceDto], description: 'the events that raise (and clear) it, in log order, at most 50' })
  evidence!: EvidenceDto[];
  @ApiProperty({ type: 'integer', description: 'how many events raise it in all' }) evidenceCount!: number;
  @ApiProperty({ type: FlagRuleDto }) rule!: FlagRuleDto;
}

/** Listed in the document by the controller's ApiExtraModels: the totals' maps refer to it. */
export class FlagCountsDto implements FlagCounts {
  @ApiProperty({ type: 'integer' }) open!: number;
  @ApiProperty({ type: 'integer' }) cleared!: number;
  @ApiProperty({ type: 'integer' }) total!: number;
}

const COUNTS_MAP = { type: 'object', additionalProperties: { $ref: getSchemaPath(FlagCountsDto) } } as const;

class RedFlagTotalsDto extends FlagCountsDto implements RedFlagTotals {
  @ApiProperty({ ...COUNTS_MAP, description: 'by code, every code listed' }) byCode!: Record<string, FlagCountsDto>;
  @ApiProperty({ ...COUNTS_MAP, description: 'by severity, every severity listed' })
  bySeverity!: Record<string, FlagCountsDto>;
}

class RedFlagFiltersDto implements RedFlagFilters {
  @ApiProperty({ required: false }) projectId?: string;
  @ApiProperty({ required: false }) town?: string;
  @ApiProperty({ required: false, enum: RED_FLAG_CODE_LIST }) code?: RedFlagCode;
  @ApiProperty({ required: false, enum: SEVERITIES }) severity?: Severity;
  @ApiProperty({ required: false }) open?: boolean;
}

export class RedFlagListDto implements RedFlagList {
  @ApiProperty({ type: BoundsUsedDto }) bounds!: BoundsUsedDto;
  @ApiProperty({
    format: 'date',
    description: 'the day idle money, matching and shares due are judged as of: asOf, else today',
  })
  referenceDate!: string;
  @ApiProperty({ type: RedFlagFiltersDto, description: 'the filters applied' }) filters!: RedFlagFiltersDto;
  @ApiProperty({ type: [RedFlagDto], description: 'by the day raised, then code' }) flags!: RedFlagDto[];
  @ApiProperty({ type: RedFlagTotalsDto, description: 'over the flags listed' }) totals!: RedFlagTotalsDto;
}

/** GET /api/red-flags?view=totals: the list's totals and its open flags per town, without the flags. */
export class RedFlagTotalsViewDto implements RedFlagTotalsView {
  @ApiProperty({ type: BoundsUsedDto }) bounds!: BoundsUsedDto;
  @ApiProperty({ format: 'date', description: 'as in the list: asOf, else today' }) referenceDate!: string;
  @ApiProperty({ type: RedFlagFiltersDto, description: 'the filters applied' }) filters!: RedFlagFiltersDto;
  @ApiProperty({ type: RedFlagTotalsDto, description: 'the totals the list would give' }) totals!: RedFlagTotalsDto;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'object', additionalProperties: { type: 'integer' } },
    description:
      "per town (镇街, as projects record it), its open flags by severity, every severity listed; a fund batch's flags (no town) are in the totals alone",
    example: { 桂林街道: { high: 2, medium: 5, low: 1 } },
  })
  openByTown!: Record<string, Record<string, number>>;
}
