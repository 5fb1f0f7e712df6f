/**
 * 试运行: the simulations the office asks for. A request is stored with its workflow's start in
 * one transaction (the outbox starts it if this request cannot), runs as its own workflow
 * (workflows/simulation.ts), and is read back here with its progress and, once done, its report.
 */
import crypto from 'node:crypto';
import type { Principal } from '../../domain/principal';
import type { Sql } from '../../infra/db';
import type { SimulationRequest } from '../../simulation/request';
import { simulationWorkflow, simulationWorkflowId } from '../../workflows/simulation';
import { badRequest, notFound } from '../errors';
import type { Outbox } from './outbox';
import type { TemporalProbe } from './temporal-probe';

export interface SimulationRow {
  id: string;
  requestedBy: string;
  request: SimulationRequest;
  status: 'running' | 'done' | 'failed';
  progress: { run: number; runs: number; day: number; days: number };
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export function createSimulationService({ sql, outbox, probe, temporalUiUrl, namespace }: { sql: Sql; outbox: Outbox; probe: TemporalProbe; temporalUiUrl: string; namespace: string }) {
  const entry = (id: string) => ({ workflowId: simulationWorkflowId(id), workflowType: simulationWorkflow.name, args: [{ simulationId: id }] });
  const links = (id: string) => ({ workflow: `${temporalUiUrl}/namespaces/${encodeURIComponent(namespace)}/workflows/${simulationWorkflowId(id)}` });
  return {
    async start(request: SimulationRequest, by: Principal): Promise<SimulationRow & { links: { workflow: string } }> {
      if (request.source.kind === 'campaign') {
        const [c] = await sql<{ open: number }[]>`
          select (select count(*)::int from items i join item_states st on st.item_id = i.id
                  where i.campaign_id = c.id and st.status in ('assigned', 'acknowledged', 'in_progress', 'submitted')) as open
          from campaigns c where c.id = ${request.source.campaignId}`;
        if (!c) throw badRequest('专项行动不存在', [{ path: 'body.source.campaignId', message: `campaign ${request.source.campaignId} not found` }]);
        if (c.open === 0) throw badRequest('该专项行动没有在办事项，无可试运行', [{ path: 'body.source.campaignId', message: 'the campaign has no open items to simulate' }]);
      } else if (request.fitBehaviour) {
        throw badRequest('只能按已有专项行动的记录拟合行为模型', [{ path: 'body.fitBehaviour', message: 'fitting needs source.kind "campaign"' }]);
      }
      await probe.ensure();
      const id = crypto.randomUUID();
      await sql.begin(async (tx) => {
        await tx`insert into simulations (id, requested_by, request, progress)
                 values (${id}, ${by.name}, ${tx.json(request as never)}, ${tx.json({ run: 0, runs: request.policies.length, day: 0, days: 0 })})`;
        await outbox.record(tx as unknown as Sql, [entry(id)]);
      });
      await outbox.startNow([entry(id)]);
      return this.get(id);
    },

    async get(id: string): Promise<SimulationRow & { result?: unknown; links: { workflow: string } }> {
      const [row] = await sql<(SimulationRow & { result: unknown })[]>`
        select id, requested_by, request, status, progress, result, error, created_at, finished_at from simulations where id = ${id}`;
      if (!row) throw notFound('simulation', id);
      // The request as it was stored (a later change of presets or bounds must not make an old run unreadable).
      return { ...row, ...(row.result ? {} : { result: undefined }), links: links(id) };
    },

    async list(limit: number): Promise<(SimulationRow & { links: { workflow: string } })[]> {
      const rows = await sql<SimulationRow[]>`
        select id, requested_by, request, status, progress, error, created_at, finished_at from simulations order by created_at desc limit ${limit}`;
      return rows.map((r) => ({ ...r, links: links(r.id) }));
    },
  };
}
export type SimulationService = ReturnType<typeof createSimulationService>;
