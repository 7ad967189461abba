import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObjectList } from '../../http/validation';
import { HouseholdInput, RegisterHouseholds } from '../../project/project.commands';
import { REGISTER_BATCH_MAX } from '../../project/residents';

/** One household of the register (OpenAPI only: the decider judges each field and names it, `households[3].floor`). */
export class HouseholdDoc {
  @ApiProperty({ example: 'H-3-2-601', description: 'an id of 1-64 letters, digits, . _ -' }) householdId!: string;
  @ApiProperty({ example: '3' }) building!: string;
  @ApiProperty({ example: '2', description: 'the unit (单元, stairwell) of the building' }) unit!: string;
  @ApiProperty({ example: 6, type: 'integer' }) floor!: number;
  @ApiProperty({ example: '601' }) room!: string;
  @ApiProperty({ example: '72.15', description: 'm², a string with at most two decimals (建筑面积)' })
  buildingArea!: string;
  @ApiPropertyOptional({ example: '60.40', description: 'm², a string with at most two decimals (专有部分面积)' })
  exclusiveArea?: string;
  @ApiPropertyOptional({ example: '商品房' }) tenure?: string;
  @ApiProperty({
    example: 'OK-00123',
    description: "the street office's opaque key for the owner (one owner of several units has one key); personal data",
  })
  ownerKey!: string;
}

/** The body of a register: a stairwell, a building or a community at once, all or nothing. */
export class RegisterHouseholdsDto {
  @IsObjectList(REGISTER_BATCH_MAX, HouseholdDoc) households!: HouseholdInput[];
}

export function registerHouseholdsCommand(projectId: string, dto: RegisterHouseholdsDto): RegisterHouseholds {
  return { type: 'RegisterHouseholds', projectId, households: dto.households };
}
