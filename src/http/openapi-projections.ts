import { ApiOkResponse } from '@nestjs/swagger';
import { DriftReportDto, ProjectionCheckpointDto, RebuildResultDto } from '../audit/audit-views.dto';
import { ProjectionsController } from '../projection-runner/projections.controller';
import { Refuses } from './openapi-responses';

/**
 * The OpenAPI answers of ProjectionsController's routes, applied to its methods from here (the
 * decorators they would carry on the controller itself, which this change left untouched: move
 * them there when next editing it). Applying them again changes nothing.
 */
export function describeProjectionsController(): void {
  const describe = (method: keyof ProjectionsController, ...decorators: MethodDecorator[]) => {
    const proto = ProjectionsController.prototype;
    for (const decorate of decorators) decorate(proto, method, Object.getOwnPropertyDescriptor(proto, method)!);
  };
  describe('list', ApiOkResponse({ type: [ProjectionCheckpointDto] }));
  describe('drift', ApiOkResponse({ type: DriftReportDto }), Refuses({ 404: ['projection-not-found'] }));
  describe('rebuild', ApiOkResponse({ type: RebuildResultDto }), Refuses({ 404: ['projection-not-found'] }));
}
