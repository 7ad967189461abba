import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { ProjectQueries } from '../funding/project-queries';
import { ResidentQueries } from '../funding/resident-queries';
import { LatestSeal } from './latest-seal';
import { PublicNoticePages } from './public-notice-pages.middleware';
import { PublicNoticeController } from './public-notice.controller';
import { PublicNoticeQueries } from './public-notice.queries';
import { PublicReadLimit } from './public-read-limit';

/**
 * The public notice (公示), without sign-in: its read API and its printable page. The project
 * and residents' queries hold no state of their own (the store and the read models are global),
 * so this module has its own instances of them.
 */
@Module({
  controllers: [PublicNoticeController],
  providers: [PublicNoticeQueries, PublicReadLimit, LatestSeal, ProjectQueries, ResidentQueries],
})
export class PublicNoticeModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(PublicNoticePages).forRoutes({ path: 'gongshi/{*path}', method: RequestMethod.GET });
  }
}
