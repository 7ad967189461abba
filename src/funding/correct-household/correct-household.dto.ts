import { IsArea, IsFloor, IsId, IsText } from '../../http/validation';
import { CorrectHousehold } from '../../project/project.commands';

/** The body of a correction: the new values of the fields that change, and why. */
export class CorrectHouseholdDto {
  @IsText(true) building?: string;
  @IsText(true) unit?: string;
  @IsFloor(true) floor?: number;
  @IsText(true) room?: string;
  @IsArea(true) buildingArea?: string;
  @IsArea(true) exclusiveArea?: string;
  @IsText(true) tenure?: string;
  @IsId(true, 'OK-00124') ownerKey?: string;
  @IsText(false, '复测面积：不动产登记簿记载 71.85 m²') reason!: string;
}

export function correctHouseholdCommand(
  projectId: string,
  householdId: string,
  dto: CorrectHouseholdDto,
): CorrectHousehold {
  const { building, unit, floor, room, buildingArea, exclusiveArea, tenure, ownerKey, reason } = dto;
  return {
    type: 'CorrectHousehold',
    projectId,
    householdId,
    building,
    unit,
    floor,
    room,
    buildingArea,
    exclusiveArea,
    tenure,
    ownerKey,
    reason,
  };
}
