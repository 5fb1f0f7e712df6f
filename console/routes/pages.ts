/**
 * The console's pages and forms. Each reads through the API as the signed-in person
 * (req.console.api) and renders a view (console/views); each form posts here, goes to the API
 * with an Idempotency-Key from the form (a double click does it once) and comes back with the
 * API's own answer as a message.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { CampaignDto } from '../../api/routes/campaigns/schemas';
import type { ItemDto } from '../../api/routes/items/schemas';
import { ACTIONS } from '../../api/routes/items/index';
import { ACTION_LABELS, type ItemAction } from '../../domain/item-lifecycle';
import { allowed } from '../../domain/access';
import { endOfDay } from '../../domain/time';
import { bodyOf, offeredActions } from '../actions';
import { refusalText } from '../api-client';
import { asOfDay, emptyOnRefusedFilter, forbidden, notFound, pageContext, rethrow404, sendPage, setFlash, signedIn, UUID_RE } from '../context';
import { consoleRoute } from '../plugin';
import { campaignPage, type CampaignView } from '../views/campaign';
import { homePage, type CampaignCard } from '../views/home';
import { itemPage, type ItemView } from '../views/item';
import { itemsPage, type ItemFilters } from '../views/items';
import { todoPage } from '../views/todo';
import { inboxPage, lettersPage, type LetterRow, type Notice } from '../views/letters';

const SEGMENT: Record<ItemAction, string> = Object.fromEntries(Object.entries(ACTIONS).map(([segment, { action }]) => [action, segment])) as Record<ItemAction, string>;

type Letter = LetterRow;

export async function pageRoutes(app: FastifyInstance) {
  app.get('/', consoleRoute, async (req, reply) => {
    const c = signedIn(req, reply);
    if (!c) return;
    const { campaigns } = await c.api.get<{ campaigns: CampaignDto[] }>('/api/v1/campaigns');
    // The newest 20 (each its own statistics call); the rest are a click away in the item list's filter.
    const cards: CampaignCard[] = await Promise.all(
      campaigns.slice(0, 20).map(async (campaign) => ({ campaign, stats: (await c.api.get<{ campaign: CampaignCard['stats'] }>(`/api/v1/campaigns/${campaign.id}/stats`)).campaign })),
    );
    return sendPage(reply, homePage(pageContext(req, reply), cards));
  });

  app.get('/campaigns/:id', consoleRoute, async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const c = signedIn(req, reply);
    if (!c) return;
    const id = req.params.id;
    if (!UUID_RE.test(id)) throw notFound();
    const base = `/api/v1/campaigns/${id}`;
    // 回溯: the figures and ranking as of a past day's close; what was compiled or issued by then.
    const asOf = asOfDay(req);
    const until = asOf ? endOfDay(asOf) : Infinity;
    const by = (t: string) => Date.parse(t) <= until;
    const campaign = await c.api.get<CampaignDto>(base).catch(rethrow404);
    const [stats, sheets, evaluations, listed, series, letters, state] = await Promise.all([
      c.api.get<CampaignView['stats']>(`${base}/stats${asOf ? `?asOf=${asOf}` : ''}`),
      c.api.get<{ sheets: CampaignView['sheets'] }>(`${base}/dispatch-sheets`).then((r) => r.sheets.filter((s) => by(s.periodEnd))),
      c.api.get<{ evaluations: CampaignView['evaluations'] }>(`${base}/evaluations`).then((r) => r.evaluations.filter((e) => by(e.periodEnd))),
      c.api.get<{ listings: { unitId: string; listedAt: string; delistedAt: string | null }[] }>(`${base}/listed`),
      c.api.get<{ points: CampaignView['series'] }>(`${base}/stats/series`).then((r) => r.points.filter((p) => by(p.at))),
      c.api.get<{ letters: Letter[] }>(`/api/v1/letters?campaignId=${id}&type=bulletin&limit=20${asOf ? `&issuedOnOrBefore=${asOf}` : ''}`).then((r) => r.letters),
      // The workflow's own view (now only); the page still shows without it (Temporal away).
      asOf ? null : c.api.get<NonNullable<CampaignView['state']>>(`${base}/dispatch`).catch(() => null),
    ]);
    // The latest rating of each unit: the latest evaluation's when ratings have their own cadence.
    const lastEvaluation = evaluations.at(-1);
    const lastSheet = sheets.at(-1);
    const rated = lastEvaluation
      ? { source: `第${lastEvaluation.seq}次考评`, units: (await c.api.get<{ units: { unitId: string; ratingLabel: string; reasons: string[] }[] }>(`${base}/evaluations/${lastEvaluation.seq}`)).units }
      : lastSheet
        ? { source: `第${lastSheet.seq}期评定`, units: (await c.api.get<{ units: { unitId: string; ratingLabel: string; reasons: string[] }[] }>(`${base}/dispatch-sheets/${lastSheet.seq}`)).units }
        : null;
    return sendPage(reply,
      campaignPage(pageContext(req, reply), {
        campaign,
        stats,
        ratings: new Map((rated?.units ?? []).map((u) => [u.unitId, { label: u.ratingLabel, reasons: u.reasons }])),
        ratingSource: rated?.source ?? null,
        listed: new Set(listed.listings.filter((l) => by(l.listedAt) && (l.delistedAt === null || !by(l.delistedAt))).map((l) => l.unitId)),
        state,
        series,
        sheets,
        bulletins: letters,
        evaluations,
        canImport: allowed(c.principal, 'campaign:write') && !asOf,
        asOf,
      }),
    );
  });

  app.get('/items', consoleRoute, async (req: FastifyRequest<{ Querystring: ItemFilters & { after?: string } }>, reply) => {
    const c = signedIn(req, reply);
    if (!c) return;
    const filters: ItemFilters = {};
    for (const k of ['campaignId', 'unitId', 'status', 'light', 'overdue', 'dueWithinDays'] as const) {
      const v = req.query[k];
      if (typeof v === 'string' && v) filters[k] = v;
    }
    const asOf = asOfDay(req);
    const q = new URLSearchParams({ ...filters, limit: '50' } as Record<string, string>);
    if (typeof req.query.after === 'string' && /^\d{1,15}$/.test(req.query.after)) q.set('after', req.query.after);
    if (asOf) q.set('asOf', asOf);
    const [page, campaigns, units] = await Promise.all([
      c.api.get<{ items: ItemDto[]; nextCursor: number | null }>(`/api/v1/items?${q}`).catch(emptyOnRefusedFilter({ items: [], nextCursor: null })),
      c.api.get<{ campaigns: CampaignDto[] }>('/api/v1/campaigns'),
      c.api.get<{ units: { id: string; name: string }[] }>('/api/v1/units'),
    ]);
    return sendPage(reply, itemsPage(pageContext(req, reply), { ...page, filters, asOf, campaigns: campaigns.campaigns, units: units.units }));
  });

  app.get('/items/:id', consoleRoute, async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const c = signedIn(req, reply);
    if (!c) return;
    if (!UUID_RE.test(req.params.id)) throw notFound();
    // 回溯: the item as it stood at a past day's close, its timeline, letters and files up to then; no actions.
    const asOf = asOfDay(req);
    const until = asOf ? endOfDay(asOf) : Infinity;
    const item = await c.api.get<ItemView['item']>(`/api/v1/items/${req.params.id}${asOf ? `?asOf=${asOf}` : ''}`).catch(rethrow404);
    const [campaign, letters, evidence] = await Promise.all([
      c.api.get<CampaignDto>(`/api/v1/campaigns/${item.campaignId}`),
      c.api.get<{ letters: Letter[] }>(`/api/v1/letters?itemId=${item.id}&limit=50${asOf ? `&issuedOnOrBefore=${asOf}` : ''}`).then((r) => r.letters),
      c.api.get<{ files: ItemView['files'] }>(`/api/v1/items/${item.id}/evidence`).then((r) => r.files.filter((f) => Date.parse(f.createdAt) <= until)),
    ]);
    const actions = asOf ? [] : offeredActions(item, campaign.endDate, c.principal, Date.now());
    return sendPage(reply, itemPage(pageContext(req, reply), { item, campaign, actions, letters, files: evidence, asOf }));
  });

  app.post('/items/:id/act/:action', consoleRoute, async (req: FastifyRequest<{ Params: { id: string; action: string }; Body: Record<string, string> }>, reply) => {
    const c = signedIn(req, reply);
    if (!c) return;
    const { id, action } = req.params;
    if (!UUID_RE.test(id) || !Object.hasOwn(SEGMENT, action)) throw notFound();
    const a = action as ItemAction;
    const key = typeof req.body?._key === 'string' && req.body._key.length <= 100 ? req.body._key : undefined;
    const body = bodyOf(a, req.body ?? {});
    // Files with a report or a close-out request: uploaded first, then cited by id.
    const files = req.consoleFiles ?? [];
    if (files.length && (a === 'reportProgress' || a === 'submit')) {
      const up = await c.api.upload<{ files: { id: string }[] }>(`/api/v1/items/${id}/evidence`, files);
      if (up.status !== 201) {
        setFlash(reply, 'error', `${ACTION_LABELS[a]}未成功：${refusalText(up.body)}`);
        return reply.redirect(`/items/${id}`, 303);
      }
      body.files = up.body.files.map((f) => f.id);
    }
    const r = await c.api.send('POST', `/api/v1/items/${id}/${SEGMENT[a]}`, body, key ? `console:${key}` : undefined);
    if (r.status === 200) setFlash(reply, 'ok', `${ACTION_LABELS[a]}：已办理`);
    else setFlash(reply, 'error', `${ACTION_LABELS[a]}未成功：${refusalText(r.body)}`);
    return reply.redirect(`/items/${id}`, 303);
  });

  app.get('/todo', consoleRoute, async (req, reply) => {
    const c = signedIn(req, reply);
    if (!c) return;
    const unitId = c.principal.unitId;
    if (!unitId) return reply.redirect('/', 303);
    const items = (q: string) => c.api.get<{ items: ItemDto[] }>(`/api/v1/items?unitId=${unitId}&limit=500${q}`).then((p) => p.items);
    const [assigned, acknowledged, inProgress, dueSoon, overdue, letters] = await Promise.all([
      items('&status=assigned'),
      items('&status=acknowledged'),
      items('&status=in_progress'),
      items('&dueWithinDays=3'),
      items('&overdue=true'),
      c.api.get<{ letters: Letter[] }>(`/api/v1/letters?unitId=${unitId}&status=awaiting_receipt&limit=100`),
    ]);
    const mine = (i: ItemDto) => i.units.find((u) => u.unitId === unitId);
    const working = [...assigned, ...acknowledged, ...inProgress];
    return sendPage(reply,
      todoPage(pageContext(req, reply), {
        unitId,
        toAcknowledge: working.filter((i) => !mine(i)?.acknowledged),
        toReport: working.filter((i) => mine(i)?.acknowledged),
        dueSoon,
        overdue,
        letters: letters.letters.filter((l) => l.recipients.some((r) => r.unitId === unitId && r.receiptedAt === null)),
      }),
    );
  });

  app.post('/letters/:id/receipt', consoleRoute, async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const c = signedIn(req, reply);
    if (!c) return;
    if (!UUID_RE.test(req.params.id)) throw notFound();
    const r = await c.api.send<{ docNumber: string }>('POST', `/api/v1/letters/${req.params.id}/receipt`, {});
    if (r.status === 200) setFlash(reply, 'ok', `已签收 ${r.body.docNumber}`);
    else setFlash(reply, 'error', `签收未成功：${refusalText(r.body)}`);
    const from = String(req.headers.referer ?? '');
    return reply.redirect(from.includes('/letters') ? '/letters' : '/todo#letters', 303);
  });

  app.get('/letters', consoleRoute, async (req: FastifyRequest<{ Querystring: { type?: string; status?: string; after?: string } }>, reply) => {
    const c = signedIn(req, reply);
    if (!c) return;
    const filters: { type?: string; status?: string } = {};
    if (typeof req.query.type === 'string' && /^[a-z_]{1,40}$/.test(req.query.type)) filters.type = req.query.type;
    if (typeof req.query.status === 'string' && /^[a-z_]{1,40}$/.test(req.query.status)) filters.status = req.query.status;
    const q = new URLSearchParams({ ...filters, limit: '50' });
    if (c.principal.unitId) q.set('unitId', c.principal.unitId);
    if (typeof req.query.after === 'string' && UUID_RE.test(req.query.after)) q.set('after', req.query.after);
    type Page = { letters: LetterRow[]; next: string | null };
    const page = await c.api.get<Page>(`/api/v1/letters?${q}`).catch(emptyOnRefusedFilter<Page>({ letters: [], next: null }));
    return sendPage(reply, lettersPage(pageContext(req, reply), { ...page, filters }));
  });

  app.get('/inbox', consoleRoute, async (req: FastifyRequest<{ Querystring: { after?: string } }>, reply) => {
    const c = signedIn(req, reply);
    if (!c) return;
    if (!allowed(c.principal, 'inbox:read')) throw forbidden();
    const after = typeof req.query.after === 'string' && /^\d{1,18}$/.test(req.query.after) ? `&after=${req.query.after}` : '';
    const inbox = await c.api.get<{ notifications: Notice[]; unread: number; next: string | null }>(`/api/v1/inbox?limit=50${after}`);
    return sendPage(reply, inboxPage(pageContext(req, reply), { notices: inbox.notifications, unread: inbox.unread, next: inbox.next }));
  });

  app.post('/inbox/:id/read', consoleRoute, async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const c = signedIn(req, reply);
    if (!c) return;
    if (!/^\d{1,18}$/.test(req.params.id)) throw notFound();
    const r = await c.api.send('POST', `/api/v1/inbox/${req.params.id}/read`, {});
    if (r.status !== 200) setFlash(reply, 'error', `操作未成功：${refusalText(r.body)}`);
    return reply.redirect('/inbox', 303);
  });

  /** An evidence file, through the API as this person. */
  app.get('/evidence/:id', consoleRoute, async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const c = signedIn(req, reply);
    if (!c) return;
    if (!UUID_RE.test(req.params.id)) throw notFound();
    return c.api.download(reply, `/api/v1/evidence/${req.params.id}`, ['content-type', 'content-disposition', 'x-evidence-sha256']);
  });

  /** A letter's .pdf / .docx, fetched through the API as this person (who may not see it gets the API's 403). */
  app.get('/letters/:id/document.:format', consoleRoute, async (req: FastifyRequest<{ Params: { id: string; format: string } }>, reply) => {
    const c = signedIn(req, reply);
    if (!c) return;
    if (!UUID_RE.test(req.params.id) || !['pdf', 'docx'].includes(req.params.format)) throw notFound();
    return c.api.download(reply, `/api/v1/letters/${req.params.id}/document.${req.params.format}`);
  });
}
