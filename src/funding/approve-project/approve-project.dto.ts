import { APPROVAL_PATHS } from '../../policy/rules/approval.rules';
import { IsAmount, IsDay, IsFlag, IsOneOf, IsText } from '../../http/validation';
import { ApproveProject } from '../../project/project.commands';

/**
 * The body of an approval. The path is the one the approval-path rule in force on `approvedOn`
 * gives (GET /api/policies): a `path` sent is checked against it, and taken from it when absent.
 */
export class ApproveProjectDto {
  @IsAmount() approvedInvestment!: string;
  @IsText(false, '潼南发改投〔2021〕123号') docNo!: string;
  @IsDay() approvedOn!: string;
  /** Whether the project involves independent supporting infrastructure (功能独立配套基础设施). */
  @IsFlag() involvesIndependentInfrastructure!: boolean;
  @IsOneOf(APPROVAL_PATHS, true) path?: string;
}

/** The command the body becomes, on project `projectId`. */
export function approveProjectCommand(projectId: string, dto: ApproveProjectDto): ApproveProject {
  const { approvedInvestment, docNo, approvedOn, involvesIndependentInfrastructure, path } = dto;
  return {
    type: 'ApproveProject',
    projectId,
    approvedInvestment,
    docNo,
    approvedOn,
    involvesIndependentInfrastructure,
    ...(path !== undefined ? { path } : {}),
  };
}
