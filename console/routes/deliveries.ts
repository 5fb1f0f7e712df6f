/** 投递记录 and a unit's 送达渠道 (the office), through the API as this person. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { allowed } from '../../domain/access';
import type { ChannelDto } from '../../api/routes/channels/schemas';
import { refusalText } from '../api-client';
import { emptyOnRefusedFilter, forbidden, notFound, pageContext, rethrow404, sendPage, setFlash, signedIn, UUID_RE } from '../context';
import { consoleRoute } from '../plugin';
import { CHANNEL_LABELS, channelsPage, deliveriesPage, MAX_CHANNELS, STATUS_LABELS, type DeliveryRow } from '../views/deliveries';

const STATUSES = Object.keys(STATUS_LABELS);
const CHANNELS = Object.keys(CHANNEL_LABELS);

export async function deliveryRoutes(app: FastifyInstance) {
  app.get('/deliveries', consoleRoute, async (req: FastifyRequest<{ Querystring: { status?: string; channel?: string; after?: string } }>, reply) => {
    const c = signedIn(req, reply);
    if (!c) return;
    if (!allowed(c.principal, 'delivery:read')) throw forbidden();
    // Failed deliveries first: what the office opens this page for. `?status=` shows them all.
    const status = req.query.status === undefined ? 'failed' : STATUSES.includes(req.query.status) ? req.query.status : '';
    const channel = req.query.channel && CHANNELS.includes(req.query.channel) ? req.query.channel : '';
    const q = new URLSearchParams({ limit: '50', ...(status ? { status } : {}), ...(channel ? { channel } : {}), ...(req.query.after && UUID_RE.test(req.query.after) ? { after: req.query.after } : {}) });
    const page = await c.api.get<{ deliveries: DeliveryRow[]; next: string | null }>(`/api/v1/deliveries?${q.toString()}`).catch(emptyOnRefusedFilter({ deliveries: [], next: null }));
    return sendPage(reply, deliveriesPage(pageContext(req, reply), { ...page, filters: { status, channel } }));
  });

  const unitOf = async (req: FastifyRequest<{ Params: { id: string } }>) => {
    const c = req.console!;
    if (!allowed(c.principal, 'directory:write')) throw forbidden();
    if (!UUID_RE.test(req.params.id)) throw notFound();
    const { units } = await c.api.get<{ units: { id: string; name: string }[] }>('/api/v1/units');
    const unit = units.find((u) => u.id === req.params.id);
    if (!unit) throw notFound();
    return unit;
  };

  app.get('/units/:id/channels', consoleRoute, async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const c = signedIn(req, reply);
    if (!c) return;
    const unit = await unitOf(req);
    const { channels } = await c.api.get<{ channels: ChannelDto[] }>(`/api/v1/units/${unit.id}/channels`).catch(rethrow404);
    return sendPage(reply, channelsPage(pageContext(req, reply), { unit, channels }));
  });

  app.post('/units/:id/channels', consoleRoute, async (req: FastifyRequest<{ Params: { id: string }; Body: Record<string, string> }>, reply) => {
    const c = signedIn(req, reply);
    if (!c) return;
    const unit = await unitOf(req);
    const b = req.body ?? {};
    const rows = Math.min(MAX_CHANNELS + 2, Math.max(0, Number.parseInt(String(b.rows ?? '0'), 10) || 0));
    const typed = Array.from({ length: rows }, (_, i) => ({
      channel: String(b[`channel_${i}`] ?? ''),
      address: String(b[`address_${i}`] ?? '').trim(),
      label: String(b[`label_${i}`] ?? '').trim(),
      enabled: b[`enabled_${i}`] === '1',
    }));
    // Rows with an address are the channels; `formRow[n]` is the n-th channel's row on the form.
    const formRow = typed.flatMap((r, i) => (r.address ? [i + 1] : []));
    const channels = typed.filter((r) => r.address).map(({ label, ...r }) => (label ? { ...r, label } : r));
    const r = await c.api.send<{ channels: ChannelDto[] }>('PUT', `/api/v1/units/${unit.id}/channels`, { channels });
    if (r.status !== 200) {
      // The rows as typed, with the API's refusal naming the row as the form numbers it (channels.N → 第k行).
      const text = refusalText(r.body).replace(/channels(?:\.(\d+)(?:\.(\w+))?)?/g, (_, n?: string, f?: string) =>
        n === undefined ? '送达渠道' : `第${formRow[Number(n)] ?? Number(n) + 1}行${f === 'address' ? '地址' : f === 'channel' ? '渠道' : (f ?? '')}`,
      );
      const shown = typed.map((x) => ({ ...x, label: x.label || null }));
      return sendPage(reply.header('hx-replace-url', `/units/${unit.id}/channels`), channelsPage(pageContext(req, reply), { unit, channels: shown, asTyped: true, error: `保存未成功：${text}` }), 400);
    }
    setFlash(reply, 'ok', `已保存“${unit.name}”的送达渠道（${r.body.channels.length}个）`);
    return reply.redirect(`/units/${unit.id}/channels`, 303);
  });
}
