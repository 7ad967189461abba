import { ApiProperty } from '@nestjs/swagger';
import { BoundsUsed } from './time-bounds';

/** The bounds a read used (time-bounds.ts): every live or time-travel read names them. */
export class BoundsUsedDto implements BoundsUsed {
  @ApiProperty({ type: String, nullable: true, format: 'date', description: 'the asOf the read was cut at' })
  asOf!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'the knownAt the read was cut at, in UTC ISO-8601 with milliseconds',
  })
  knownAt!: string | null;
  @ApiProperty({ example: '1042', description: 'the global position of the last event the read kept ("0": none)' })
  position!: string;
}
