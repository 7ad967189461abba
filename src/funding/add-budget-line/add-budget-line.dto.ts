import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { UTILITIES } from '../../project/funding-sources';
import { CATEGORIES } from '../../project/renovation-content';
import { IsAmount, IsId } from '../../http/validation';
import { AddBudgetLine } from '../../project/project.commands';

/** The body of a budget (cost) line. */
export class AddBudgetLineDto {
  @IsId(false, 'B1') lineId!: string;
  @ApiProperty({ enum: CATEGORIES })
  @IsString()
  @IsIn(CATEGORIES, { message: 'category must be one of basic, improvement, enhancement' })
  category!: string;
  @ApiProperty({ example: 'roof', description: 'item code of the category (domain.md §3)' }) @IsString() item!: string;
  @ApiPropertyOptional({ enum: UTILITIES, description: 'set on pipeline work: the utility whose pipelines these are' })
  @IsOptional()
  @IsString()
  @IsIn([...UTILITIES], { message: `utility must be one of ${UTILITIES.join(', ')}` })
  utility?: string;
  @IsAmount() estimatedCost!: string;
}

/** The command the body becomes, on project `projectId`. */
export function addBudgetLineCommand(projectId: string, dto: AddBudgetLineDto): AddBudgetLine {
  const { lineId, category, item, utility, estimatedCost } = dto;
  return { type: 'AddBudgetLine', projectId, lineId, category, item, utility, estimatedCost };
}
