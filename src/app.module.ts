import { DynamicModule, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { AuditController } from './audit/audit.controller';
import { EventsController } from './audit/events.controller';
import { AuthGuard, TOKENS } from './auth/auth.guard';
import { ChainWatchModule } from './audit/chain-watch';
import { SealScheduler } from './audit/seal-schedule';
import { TokenRegistry } from './auth/token-registry';
import { TownScope } from './auth/town-scope';
import { clockProvider } from './config/clock.provider';
import type { Clock } from './shared/time/clock';
import { LEDGER_CONFIG, LedgerConfig } from './config/config';
import { EventStoreModule } from './event-store/event-store.module';
import { EventStore } from './event-store/event-store.port';
import { BankAccountsController } from './funding/bank-accounts/bank-accounts.controller';
import { BankAccountQueries } from './funding/bank-accounts/bank-account-queries';
import { bankAccountWriterProvider } from './funding/bank-accounts/bank-account-writer';
import {
  ImportStatementHandler,
  OpenBankAccountHandler,
  RecordMatchHandler,
} from './funding/bank-accounts/bank-account.handlers';
import { TreasuryFilesController } from './funding/treasury-files/treasury-files.controller';
import { TreasuryFileQueries } from './funding/treasury-files/treasury-file-queries';
import {
  ImportTreasuryFileHandler,
  RecordTreasuryMatchHandler,
  treasuryFileWriterProvider,
} from './funding/treasury-files/treasury-file.handlers';
import { FiscalYearsController } from './funding/fiscal-years/fiscal-years.controller';
import { FiscalYearQueries } from './funding/fiscal-years/fiscal-year-queries';
import { fiscalYearWriterProvider } from './funding/fiscal-years/fiscal-year-writer';
import { ActOnFiscalYearHandler } from './funding/fiscal-years/fiscal-year.handlers';
import { FundBatchesController } from './funding/fund-batches/fund-batches.controller';
import { fundBatchWriterProvider } from './funding/fund-batches/fund-batch-writer';
import {
  AllocateFundsHandler,
  IssueFundBatchHandler,
  ReverseAllocationHandler,
} from './funding/fund-batches/fund-batch.handlers';
import { AddBudgetLineController } from './funding/add-budget-line/add-budget-line.controller';
import { ApproveProjectController } from './funding/approve-project/approve-project.controller';
import { RecordMilestoneController } from './funding/record-milestone/record-milestone.controller';
import { DisburseFundsController } from './funding/disburse-funds/disburse-funds.controller';
import { MakeTreasuryPaymentController } from './funding/make-treasury-payment/make-treasury-payment.controller';
import { PledgeFundingController } from './funding/pledge-funding/pledge-funding.controller';
import { ExecuteProjectCommandHandler, projectWriterProvider } from './funding/project-command.handler';
import { ProjectQueries } from './funding/project-queries';
import { ProjectWrites } from './funding/projects-api';
import { ProjectsController } from './funding/projects.controller';
import { ReceiveFundsController } from './funding/receive-funds/receive-funds.controller';
import { RegisterProjectController } from './funding/register-project/register-project.controller';
import { ReverseEntryController } from './funding/reverse-entry/reverse-entry.controller';
import { AdoptCostSharePlanController } from './funding/adopt-cost-share-plan/adopt-cost-share-plan.controller';
import { CorrectHouseholdController } from './funding/correct-household/correct-household.controller';
import { RecordOwnerVoteController } from './funding/record-owner-vote/record-owner-vote.controller';
import { RegisterHouseholdsController } from './funding/register-households/register-households.controller';
import { ResidentQueries } from './funding/resident-queries';
import { ResidentsController } from './funding/residents.controller';
import { ErrorFilter } from './http/error.filter';
import { TimeTravelLimit } from './http/time-travel-limit.interceptor';
import { MetaController } from './http/meta.controller';
import { LiveController } from './live/live.controller';
import { LiveFeed } from './live/live-feed';
import { LiveTickets } from './live/live-tickets';
import { OpsModule, OpsOptions } from './ops/ops.module';
import { ProjectionRunnerModule } from './projection-runner/projection-runner.module';
import { ProjectionsController } from './projection-runner/projections.controller';
import { LatestSeal } from './public-notice/latest-seal';
import { PublicNoticePages } from './public-notice/public-notice-pages.middleware';
import { PublicNoticeController } from './public-notice/public-notice.controller';
import { PublicNoticeQueries } from './public-notice/public-notice.queries';
import { PublicReadLimit } from './public-notice/public-read-limit';
import { allocationReactorProviders } from './reactors/allocation-reactor.providers';
import { ReportQueries } from './reports/report-queries';
import { FundBatchReportsController, ReportsController } from './reports/reports.controller';
import { RedFlagQueries } from './red-flags/red-flag-queries';
import { RedFlagsController } from './red-flags/red-flags.controller';
import type { PidLock } from './shared/fs/pid-lock';

@Module({})
export class AppModule implements NestModule {
  /** The public notice's printable page, without sign-in (its JSON is PublicNoticeController's). */
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(PublicNoticePages).forRoutes({ path: 'gongshi/{*path}', method: RequestMethod.GET });
  }

  /** The whole service for one validated configuration (tests pass their own, and their own log options). */
  static forConfig(
    config: LedgerConfig,
    store: EventStore,
    ops?: OpsOptions,
    clock?: Clock,
    lock?: PidLock,
  ): DynamicModule {
    const configModule: DynamicModule = {
      module: class LedgerConfigModule {},
      global: true,
      providers: [
        { provide: LEDGER_CONFIG, useValue: config },
        {
          provide: TOKENS,
          useFactory: () => new TokenRegistry(config.tokensFile, { allowExampleTokens: config.allowExampleTokens }),
        },
        clock ? { provide: clockProvider.provide, useValue: clock } : clockProvider,
      ],
      exports: [LEDGER_CONFIG, TOKENS, clockProvider.provide],
    };
    return {
      module: AppModule,
      imports: [
        configModule,
        CqrsModule.forRoot(),
        EventStoreModule.forStore(store, lock),
        ProjectionRunnerModule,
        ChainWatchModule,
        OpsModule.forRoot(ops ?? { logLevel: config.logLevel }),
      ],
      // The project write slices before the project queries: the OpenAPI document lists paths in this order.
      controllers: [
        RegisterProjectController,
        ApproveProjectController,
        RecordMilestoneController,
        AddBudgetLineController,
        PledgeFundingController,
        ReceiveFundsController,
        DisburseFundsController,
        MakeTreasuryPaymentController,
        ReverseEntryController,
        RegisterHouseholdsController,
        CorrectHouseholdController,
        RecordOwnerVoteController,
        AdoptCostSharePlanController,
        ProjectsController,
        ResidentsController,
        FundBatchesController,
        FundBatchReportsController,
        BankAccountsController,
        TreasuryFilesController,
        FiscalYearsController,
        ReportsController,
        RedFlagsController,
        MetaController,
        ProjectionsController,
        EventsController,
        AuditController,
        LiveController,
        PublicNoticeController,
      ],
      providers: [
        projectWriterProvider,
        ExecuteProjectCommandHandler,
        ProjectWrites,
        TownScope,
        ProjectQueries,
        ResidentQueries,
        // The public notice reads through the same query instances as the signed-in routes.
        PublicNoticeQueries,
        PublicReadLimit,
        LatestSeal,
        fundBatchWriterProvider,
        IssueFundBatchHandler,
        AllocateFundsHandler,
        ReverseAllocationHandler,
        bankAccountWriterProvider,
        BankAccountQueries,
        OpenBankAccountHandler,
        ImportStatementHandler,
        RecordMatchHandler,
        treasuryFileWriterProvider,
        TreasuryFileQueries,
        ImportTreasuryFileHandler,
        RecordTreasuryMatchHandler,
        fiscalYearWriterProvider,
        FiscalYearQueries,
        ActOnFiscalYearHandler,
        // Started once the application is up, stopped before any module shuts down (the store last).
        ...allocationReactorProviders,
        ReportQueries,
        RedFlagQueries,
        SealScheduler,
        LiveFeed,
        LiveTickets,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ErrorFilter },
        { provide: APP_INTERCEPTOR, useClass: TimeTravelLimit },
      ],
    };
  }
}
