/** App services as a plugin: routes reach repositories and Temporal only through these. */
import type { Client } from '@temporalio/client';
import fp from 'fastify-plugin';
import type { Sql } from '../../infra/db';
import { createCalendarStore } from '../../infra/calendar-store';
import { createEvidenceStores, type EvidenceStoreOptions } from '../../infra/evidence-store';
import { createCalendarService, type CalendarService } from '../services/calendar';
import { createCampaignService, type CampaignService } from '../services/campaigns';
import { createChannelService, type ChannelService } from '../services/channels';
import { createDispatchService, type DispatchService } from '../services/dispatch';
import { createHealthService } from '../services/health';
import { createIdempotency, type Idempotency } from '../services/idempotency';
import { createImportService, type ImportService } from '../services/import';
import { createEvidenceService, type EvidenceService } from '../services/evidence';
import { createInboxService, type InboxService } from '../services/inbox';
import { createItemService, type ItemService } from '../services/items';
import { createLedgerService } from '../services/ledger';
import { createLetterService, type LetterService } from '../services/letters';
import { createOutbox } from '../services/outbox';
import { createStatsService } from '../services/stats';
import { createSimulationService, type SimulationService } from '../services/simulations';
import { temporalProbe } from '../services/temporal-probe';
import { createPrincipalService, type PrincipalService } from '../services/principals';
import { createTemplateService, type TemplateService } from '../services/templates';
import { createUnitService, type UnitService } from '../services/units';

export interface ServiceDeps {
  sql: Sql;
  temporal: Client;
  namespace: string;
  taskQueue: string;
  temporalUiUrl: string;
  officeToken: string;
  /** TEMPORAL_PROBE_TIMEOUT_MS (default 2.5 s). */
  temporalProbeTimeoutMs?: number;
  /** OUTBOX_SWEEP_MS (default 2 s). */
  outboxSweepMs?: number;
  /** IDEMPOTENCY_KEY_RETENTION_DAYS (default 7). */
  idempotencyKeyRetentionDays?: number;
  /** RECTIFY_EVIDENCE_STORE and S3_* (default: PostgreSQL only). */
  evidenceStore?: EvidenceStoreOptions;
  /** "Now" for the views (overdue days, 回溯's bound); default Date.now. A time-skipping test passes the test server's time. */
  clock?: () => number;
}

declare module 'fastify' {
  interface FastifyInstance {
    units: UnitService;
    campaigns: CampaignService;
    items: ItemService;
    evidence: EvidenceService;
    principals: PrincipalService;
    health: ReturnType<typeof createHealthService>;
    calendar: CalendarService;
    imports: ImportService;
    ledger: ReturnType<typeof createLedgerService>;
    stats: ReturnType<typeof createStatsService>;
    dispatch: DispatchService;
    letters: LetterService;
    templates: TemplateService;
    channels: ChannelService;
    inbox: InboxService;
    /** Idempotency-Key for creates that are not Temporal updates: the first answer, replayed. */
    idempotency: Idempotency;
    simulations: SimulationService;
  }
}

export default fp<ServiceDeps>(async (app, deps) => {
  const units = createUnitService(deps);
  app.decorate('units', units);
  // Is Temporal there? One probe for every service, with the configured timeout.
  const probe = temporalProbe(deps.temporal, deps.temporalProbeTimeoutMs);
  // Workflow starts owed by commits (items, campaigns): drained while the app runs (services/outbox.ts).
  const outbox = createOutbox({
    sql: deps.sql,
    temporal: deps.temporal,
    taskQueue: deps.taskQueue,
    log: app.log,
    sweepMs: deps.outboxSweepMs,
    idempotencyKeyRetentionDays: deps.idempotencyKeyRetentionDays,
  });
  app.addHook('onReady', async () => outbox.start());
  app.addHook('onClose', async () => outbox.stop());
  app.decorate('campaigns', createCampaignService({ ...deps, outbox, probe }));
  const evidence = createEvidenceService({ sql: deps.sql, stores: createEvidenceStores(deps.sql, deps.evidenceStore) });
  app.decorate('evidence', evidence);
  const items = createItemService({ ...deps, units, outbox, probe, log: app.log, evidence });
  app.decorate('items', items);
  app.decorate('imports', createImportService({ sql: deps.sql, units, items }));
  app.decorate('ledger', createLedgerService(deps));
  app.decorate('stats', createStatsService(deps));
  app.decorate('dispatch', createDispatchService({ ...deps, probe }));
  app.decorate('simulations', createSimulationService({ ...deps, outbox, probe }));
  app.decorate('letters', createLetterService(deps));
  app.decorate('templates', createTemplateService(deps));
  app.decorate('channels', createChannelService(deps));
  app.decorate('inbox', createInboxService(deps));
  app.decorate('principals', createPrincipalService(deps));
  app.decorate('idempotency', createIdempotency({ sql: deps.sql, log: app.log }));
  app.decorate('health', createHealthService({ ...deps, probe }));
  app.decorate('calendar', createCalendarService({ ...deps, calendars: createCalendarStore(deps.sql) }));
});
