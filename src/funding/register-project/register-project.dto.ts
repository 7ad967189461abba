import { IsDecimalNumber, IsId, IsText, IsWholeNumber } from '../../http/validation';
import { RegisterProject } from '../../project/project.commands';
import { BUILDING_AREA_MAX, BUILT_YEAR_MAX, BUILT_YEAR_MIN, HOUSEHOLDS_MAX } from '../../shared/domain/input-rules';

/** The body of a registration: the project's id is in it. */
export class RegisterProjectDto {
  @IsId() projectId!: string;
  @IsText(false, '凉风垭街道 建设路片区老旧小区改造') name!: string;
  @IsText(false, '建设路小区') community!: string;
  @IsText(false, '凉风垭街道') town!: string;
  @IsWholeNumber(BUILT_YEAR_MIN, BUILT_YEAR_MAX, 'a whole year', 1998) builtYear!: number;
  @IsDecimalNumber(0.01, BUILDING_AREA_MAX, 'a building area in square metres', 12500.5) buildingArea!: number;
  @IsWholeNumber(1, HOUSEHOLDS_MAX, 'a whole number of households', 180) households!: number;
  /** For a community built 2001-2005: why its living conditions are poor (居住条件较差); recorded with its eligibility. */
  @IsText(true, '屋面渗漏、管网老化，无物业管理') conditionJustification?: string;
}

/** The command the body becomes. */
export function registerProjectCommand(dto: RegisterProjectDto): RegisterProject {
  const { projectId, name, community, town, builtYear, buildingArea, households, conditionJustification } = dto;
  return {
    type: 'RegisterProject',
    projectId,
    name,
    community,
    town,
    builtYear,
    buildingArea,
    households,
    ...(conditionJustification !== undefined ? { conditionJustification } : {}),
  };
}
