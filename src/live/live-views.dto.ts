import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class LiveTicketDto {
  @ApiProperty({ description: 'used once, in GET /api/live?ticket=', example: 'q3Jd0x2mX9v1TzKc8bWfYh4LpN6sRaE5' })
  ticket!: string;
  @ApiProperty({ description: 'how long it may wait to be used', example: 30 })
  expiresInSeconds!: number;
}

/** The `data:` of one message; `id:` is `position`. */
export class LiveChangeDto {
  @ApiProperty({ description: 'the log position (decimal string)', example: '42' })
  position!: string;
  @ApiProperty({ description: 'category/type', example: 'project/funds-received.v2' })
  kind!: string;
  @ApiProperty({ example: 'project' })
  category!: string;
  @ApiProperty({ example: 'funds-received.v2' })
  type!: string;
  @ApiPropertyOptional({
    description: 'the project, fund batch, fiscal year or seal; never a bank account or anything personal',
    example: 'TN2021-051',
  })
  id?: string;
}
