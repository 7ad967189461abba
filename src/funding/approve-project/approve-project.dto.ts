import { IsAmount, IsDay, IsText } from '../../http/validation';
import { ApproveProject } from '../../project/project.commands';

/** The body of an approval. The approval path follows from the 10,000,000.00 threshold. */
export class ApproveProjectDto {
  @IsAmount() approvedInvestment!: string;
  @IsText(false, '潼南发改投〔2021〕123号') docNo!: string;
  @IsDay() approvedOn!: string;
}

/** The command the body becomes, on project `projectId`. */
export function approveProjectCommand(projectId: string, dto: ApproveProjectDto): ApproveProject {
  const { approvedInvestment, docNo, approvedOn } = dto;
  return { type: 'ApproveProject', projectId, approvedInvestment, docNo, approvedOn };
}
