import { IsAmount, IsDay, IsText } from '../../http/validation';

/** POST /api/projects/:id/approval. The approval path follows from the 10,000,000.00 threshold. */
export class ApproveProjectDto {
  @IsAmount() approvedInvestment!: string;
  @IsText(false, '潼南发改投〔2021〕123号') docNo!: string;
  @IsDay() approvedOn!: string;
}
