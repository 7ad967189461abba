import { Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.guard';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { DomainError } from '../shared/domain/domain-error';
import { driftReport } from '../audit/drift';
import { ProjectionRunner } from './projection-runner';

/** Read models, for auditors: checkpoints, drift against a replay from zero, rebuild. */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/audit/projections')
export class ProjectionsController {
  constructor(
    private readonly runner: ProjectionRunner,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Get()
  @Roles('auditor', 'admin')
  @ApiOperation({ summary: 'Every projection: name, version, the log position it has processed through' })
  list() {
    return this.runner.checkpoints();
  }

  @Post(':name/drift')
  @HttpCode(200)
  @Roles('auditor', 'admin')
  @ApiOperation({
    summary:
      'Replay the log from position 0 into a shadow copy and compare it with the live read model: "identical" or each difference',
  })
  drift(@Param('name') name: string) {
    return driftReport(this.store, this.runner.db, this.projection(name));
  }

  @Post(':name/rebuild')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Drop a projection and replay it from position 0 (reads wait for it to catch up)' })
  async rebuild(@Param('name') name: string) {
    const p = this.projection(name);
    const head = await this.store.headPosition();
    await this.runner.rebuild(p.name);
    const caughtUp = await this.runner.waitFor(head, 60_000);
    return { projection: p.name, version: p.version, rebuiltThrough: this.runner.position().toString(), caughtUp };
  }

  private projection(name: string) {
    const p = this.runner.projections.find((x) => x.name === name);
    if (!p)
      throw new DomainError(
        'projection-not-found',
        `no projection named ${name}; there are ${this.runner.projections.map((x) => x.name).join(', ')}`,
        404,
        'name',
      );
    return p;
  }
}
