/**
 * What an allocation or its reversal answers: the batch's write, and the project's under `project`
 * (fund-batches.controller.ts, twoStreamAnswer), as the OpenAPI document describes it.
 */
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { PendingWrite, WriteResponse, WrittenEvent } from '../../http/openapi-responses';

/** 201: both writes made. */
export class TwoStreamWrittenDto extends WriteResponse {
  @ApiProperty({ type: WriteResponse, description: "the project's write" }) project!: WriteResponse;
}

/**
 * 202: one write made, the other pending. The made one is a write's answer, the pending one
 * `{streamId, status: 'pending'}`: for an allocation the batch's is made and the project's pending,
 * for a reversal the project's is made and the batch's pending.
 */
@ApiExtraModels(WriteResponse, PendingWrite)
export class TwoStreamAcceptedDto {
  @ApiProperty() streamId!: string;
  @ApiPropertyOptional({ type: 'integer', description: 'when the batch’s write is made' }) revision?: number;
  @ApiPropertyOptional({ description: 'when the batch’s write is made' }) position?: string;
  @ApiPropertyOptional({ type: [WrittenEvent], description: 'when the batch’s write is made' }) events?: WrittenEvent[];
  @ApiPropertyOptional({ enum: ['pending'], description: 'when the batch’s write is pending' }) status?: 'pending';
  @ApiProperty({
    oneOf: [{ $ref: getSchemaPath(WriteResponse) }, { $ref: getSchemaPath(PendingWrite) }],
    description: "the project's write, made or pending",
  })
  project!: WriteResponse | PendingWrite;
}
