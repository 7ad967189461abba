import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsNumber, Max, Min } from 'class-validator';
import { IsId, IsText } from '../../http/validation';
import { RegisterProject } from '../../project/project.commands';
import { BUILT_YEAR_MAX, BUILT_YEAR_MIN } from '../../shared/domain/input-rules';

/** The body of a registration: the project's id is in it. */
export class RegisterProjectDto {
  @IsId() projectId!: string;
  @IsText(false, '凉风垭街道 建设路片区老旧小区改造') name!: string;
  @IsText(false, '建设路小区') community!: string;
  @IsText(false, '凉风垭街道') town!: string;
  @ApiProperty({ example: 1998 })
  @IsInt({ message: 'builtYear must be a whole year' })
  @Min(BUILT_YEAR_MIN)
  @Max(BUILT_YEAR_MAX)
  builtYear!: number;
  @ApiProperty({ example: 12500.5, description: 'building area in square metres' })
  @IsNumber(
    { allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 },
    { message: 'buildingArea must be a number of square metres with at most two decimals' },
  )
  @Min(0.01)
  buildingArea!: number;
  @ApiProperty({ example: 180 }) @IsInt({ message: 'households must be a whole number' }) @Min(1) households!: number;
}

/** The command the body becomes. */
export function registerProjectCommand(dto: RegisterProjectDto): RegisterProject {
  const { projectId, name, community, town, builtYear, buildingArea, households } = dto;
  return { type: 'RegisterProject', projectId, name, community, town, builtYear, buildingArea, households };
}
