/**
 * 试运行: the office's form and the runs it started, each run's progress and report — through the
 * API as this person (running is the office's: domain/access.ts simulation:run; leaders read).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { CampaignDto } from '../../api/routes/campaigns/schemas';
import { allowed } from '../../domain/access';
import { POLICY_PRESETS } from '../../simulation/plans';
import { refusalText } from '../api-client';
import { forbidden, formKey, notFound, pageContext, rethrow404, sendPage, setFlash, signedIn, UUID_RE } from '../context';
import { consoleRoute } from '../plugin';
import { simulationPage, simulationsPage, type SimulationDto } from '../views/simulations';

const PRESETS: [string, string][] = Object.entries(POLICY_PRESETS).map(([k, v]) => [k, v.label]);

/** A number field of the form, or undefined when empty; percent fields come back as rates. */
function num(body: Record<string, string>, name: string, scale = 1): number | undefined {
  const v = body[name];
  if (typeof v !== 'string' || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n / scale : Number.NaN; // NaN: the API names the field
}

export async function simulationRoutes(app: FastifyInstance) {
  app.get('/simulations', consoleRoute, async (req, reply) => {
    const c = signedIn(req, reply);
    if (!c) return;
    if (!allowed(c.principal, 'simulation:read')) throw forbidden();
    const [{ simulations }, { campaigns }] = await Promise.all([
      c.api.get<{ simulations: SimulationDto[] }>('/api/v1/simulations?limit=30'),
      c.api.get<{ campaigns: CampaignDto[] }>('/api/v1/campaigns'),
    ]);
    return sendPage(reply, simulationsPage(pageContext(req, reply), { simulations, campaigns, canRun: allowed(c.principal, 'simulation:run'), presets: PRESETS }));
  });

  app.post('/simulations', consoleRoute, async (req: FastifyRequest<{ Body: Record<string, string> }>, reply) => {
    const c = signedIn(req, reply);
    if (!c) return;
    const b = req.body ?? {};
    const source =
      b.source === 'campaign' ? { kind: 'campaign', campaignId: b.campaignId } : b.source === 'synthetic' ? { kind: 'synthetic', items: num(b, 'items') } : { kind: 'seed-002' };
    const behaviour = Object.fromEntries(
      (
        [
          ['signWithinDays', num(b, 'signWithinDays')],
          ['onTimeRate', num(b, 'onTimeRate', 100)],
          ['missReportRate', num(b, 'missReportRate', 100)],
          ['rejectRate', num(b, 'rejectRate', 100)],
          ['laggardShare', num(b, 'laggardShare', 100)],
        ] as const
      ).filter(([, v]) => v !== undefined),
    );
    const days = num(b, 'days');
    const payload = {
      source,
      policies: [{ preset: b.policyA || 'default' }, ...(b.policyB ? [{ preset: b.policyB }] : [])],
      behaviour,
      fitBehaviour: b.fitBehaviour === 'yes',
      ...(days !== undefined ? { days } : {}),
    };
    const r = await c.api.send<{ id: string }>('POST', '/api/v1/simulations', payload, formKey(b));
    if (r.status !== 202) {
      setFlash(reply, 'error', `试运行未开始：${refusalText(r.body)}`);
      return reply.redirect('/simulations', 303);
    }
    setFlash(reply, 'ok', '试运行已开始，完成后在此显示结果。');
    return reply.redirect(`/simulations/${r.body.id}`, 303);
  });

  app.get('/simulations/:id', consoleRoute, async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const c = signedIn(req, reply);
    if (!c) return;
    if (!UUID_RE.test(req.params.id)) throw notFound();
    const [s, { campaigns }] = await Promise.all([
      c.api.get<SimulationDto>(`/api/v1/simulations/${req.params.id}`).catch(rethrow404),
      c.api.get<{ campaigns: CampaignDto[] }>('/api/v1/campaigns'),
    ]);
    return sendPage(reply, simulationPage(pageContext(req, reply), s, campaigns));
  });
}
