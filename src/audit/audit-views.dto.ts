/**
 * What the audit routes answer, as the OpenAPI document describes it. Each class implements the
 * type the code answers with, so the compiler holds the two together.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { EventViewDto } from '../funding/project-views.dto';
import { ReadModels } from '../projection-runner/read-models';
import { DriftReport, RowDifference } from './drift';
import { SEAL_SCHEDULES, SealSchedule } from '../config/config';
import { Seal, SealKeyView, SealedStream } from './seal';
import { ChainProblem, ProblemKind, SealSummary, VerifyReport } from './verify-chain';

const PROBLEM_KINDS: ProblemKind[] = [
  'unreadable-event',
  'revision-gap',
  'event-id-mismatch',
  'hash-mismatch',
  'broken-link',
  'head-mismatch',
  'seal-invalid',
  'seal-wrong-key',
  'sealed-stream-missing',
  'sealed-revision-missing',
  'sealed-hash-mismatch',
];

/** A page of the whole log, in global order. */
export class EventsPageDto {
  @ApiProperty({ type: [EventViewDto] }) events!: EventViewDto[];
  @ApiProperty({
    example: '1042',
    description: 'the fromPosition of the next page (the same when there is nothing newer)',
  })
  nextPosition!: string;
}

/** The first thing in the chain that does not hold. */
class ChainProblemDto implements ChainProblem {
  @ApiProperty({ enum: PROBLEM_KINDS }) kind!: ProblemKind;
  @ApiProperty({ type: String, nullable: true }) streamId!: string | null;
  @ApiProperty({ type: 'integer', nullable: true }) revision!: number | null;
  @ApiProperty({ type: String, nullable: true }) eventId!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'global position, a decimal string' })
  position!: string | null;
  @ApiProperty({ description: 'a hash for hash problems, a revision for gaps' }) expected!: string;
  @ApiProperty() found!: string;
  @ApiProperty() message!: string;
}

/** What a kept seal covered. */
class SealSummaryDto implements SealSummary {
  @ApiProperty() sealId!: string;
  @ApiProperty({ format: 'date-time' }) sealedAt!: string;
  @ApiProperty() headPosition!: string;
  @ApiProperty() keyFingerprint!: string;
  @ApiProperty({ type: 'integer' }) streamsSealed!: number;
}

/** The hash chain checked: `ok` false names the first problem. */
export class VerifyReportDto implements VerifyReport {
  @ApiProperty() ok!: boolean;
  @ApiProperty({ enum: ['sqlite', 'eventstoredb'] }) store!: 'sqlite' | 'eventstoredb';
  @ApiPropertyOptional({ description: 'set when one stream was verified' }) stream?: string;
  @ApiProperty({ type: 'integer' }) eventsChecked!: number;
  @ApiProperty({ type: 'integer' }) streamsChecked!: number;
  @ApiProperty({ description: "the log's head when the check started" }) headPosition!: string;
  @ApiPropertyOptional({ type: ChainProblemDto }) firstProblem?: ChainProblemDto;
  @ApiPropertyOptional({ type: SealSummaryDto }) seal?: SealSummaryDto;
}

class SealedStreamDto implements SealedStream {
  @ApiProperty() streamId!: string;
  @ApiProperty({ type: 'integer', description: "the stream's last revision when sealed (0-based)" }) revision!: number;
  @ApiProperty({ description: "that event's hash" }) hash!: string;
}

/** A seal: a signed digest over every stream's head at one moment (docs/audit.md). */
export class SealDto implements Seal {
  @ApiProperty() sealId!: string;
  @ApiProperty({ format: 'date-time' }) sealedAt!: string;
  @ApiProperty({ description: "the log's head position the seal covers" }) headPosition!: string;
  @ApiProperty({ type: [SealedStreamDto], description: "every ledger stream's head, sorted by stream id" })
  streams!: SealedStreamDto[];
  @ApiProperty({ description: 'SHA-256, hex, of canonicalJson({sealId, sealedAt, headPosition, streams})' })
  digest!: string;
  @ApiProperty({ description: "the signing key's public half, SPKI PEM" }) publicKey!: string;
  @ApiProperty({ description: 'SHA-256, hex, of the DER (SPKI) public key' }) keyFingerprint!: string;
  @ApiProperty({ description: 'Ed25519 signature, base64, over the digest' }) signature!: string;
}

/** The key that signs this ledger's seals (seal.ts, sealKeyView): what an auditor compares a seal's keyFingerprint with. */
export class SealKeyDto implements SealKeyView {
  @ApiProperty({
    description: 'whether LEDGER_SEAL_KEY_FILE is set: without a key nothing is sealed, and the key fields are null',
  })
  configured!: boolean;
  @ApiProperty({ enum: ['Ed25519'] }) algorithm!: 'Ed25519';
  @ApiProperty({
    type: String,
    nullable: true,
    example: '7dbc20aa56a95e513b37885bd52e3764ea052c4d86213db1df2869dbce09e6a1',
    description: 'SHA-256, hex, of the DER (SPKI) public key: what every seal carries as keyFingerprint',
  })
  fingerprint!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'the public key, SPKI PEM' }) publicKey!: string | null;
  @ApiProperty({ enum: SEAL_SCHEDULES, description: 'LEDGER_SEAL_SCHEDULE: how often the service seals by itself' })
  schedule!: SealSchedule;
}

type Checkpoint = ReturnType<ReadModels['checkpoints']>[number];

/** A projection and the log position it has processed through. */
export class ProjectionCheckpointDto implements Checkpoint {
  @ApiProperty({ example: 'funding-mix' }) name!: string;
  @ApiProperty({ type: 'integer' }) version!: number;
  @ApiProperty({ example: '1042' }) position!: string;
}

const ROW = { type: 'object', additionalProperties: true } as const;

class RowDifferenceDto implements RowDifference {
  @ApiProperty() table!: string;
  @ApiProperty(ROW) key!: Record<string, unknown>;
  @ApiProperty({ ...ROW, nullable: true, description: 'the live row; null: missing there' })
  live!: Record<string, unknown> | null;
  @ApiProperty({ ...ROW, nullable: true, description: 'the row replayed from zero; null: missing there' })
  rebuilt!: Record<string, unknown> | null;
}

/** A live read model compared with a replay from position 0. */
export class DriftReportDto implements DriftReport {
  @ApiProperty() projection!: string;
  @ApiProperty({ type: 'integer' }) version!: number;
  @ApiProperty({ description: 'the log position both sides were compared at' }) position!: string;
  @ApiProperty() identical!: boolean;
  @ApiProperty({ type: 'integer' }) rowsCompared!: number;
  @ApiProperty({ type: 'integer', description: 'rows left out on both sides: work still due live would change them' })
  rowsLeftOut!: number;
  @ApiProperty({ type: 'integer', description: 'every difference, even those not listed' }) differenceCount!: number;
  @ApiProperty({ type: [RowDifferenceDto], description: 'the first differences' }) differences!: RowDifferenceDto[];
}

/** A projection dropped and replayed from position 0. */
export class RebuildResultDto {
  @ApiProperty() projection!: string;
  @ApiProperty({ type: 'integer' }) version!: number;
  @ApiProperty({ description: 'the position the rebuild has reached' }) rebuiltThrough!: string;
  @ApiProperty({ description: 'whether it reached the head within the wait (reads wait for it otherwise)' })
  caughtUp!: boolean;
}
