/**
 * The import wizard and the ledger (台账) export, for the office: upload → dry run through the API
 * (`POST /campaigns/{id}/import?dryRun=true`) → the file kept for this session → confirm → the
 * real import through the same API. Nothing is imported unless the person confirms a clean check.
 */
import crypto from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { CampaignDto } from '../../api/routes/campaigns/schemas';
import { allowed } from '../../domain/access';
import type { Sql } from '../../infra/db';
import { refusalText } from '../api-client';
import { asOfDay, forbidden, notFound, pageContext, sendPage, setFlash, signedIn, UUID_RE } from '../context';
import { consoleRoute } from '../plugin';
import { hash } from '../session';
import { importPage, type DryRun, type RowError } from '../views/imports';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** A zip (an .xlsx) by its first bytes; anything else is offered to the importer as CSV, which judges it. */
const typeOf = (b: Buffer) => (b[0] === 0x50 && b[1] === 0x4b ? XLSX : 'text/csv');

export async function importRoutes(app: FastifyInstance, opts: { sql: Sql }) {
  const { sql } = opts;
  type P = FastifyRequest<{ Params: { id: string; upload?: string } }>;

  /** The signed-in office person and the campaign, or 403/404. */
  async function officeCampaign(req: P, reply: Parameters<typeof signedIn>[1]) {
    const c = signedIn(req, reply);
    if (!c) return null;
    if (!UUID_RE.test(req.params.id)) throw notFound();
    if (!allowed(c.principal, 'campaign:write')) throw forbidden();
    const campaign = await c.api.get<CampaignDto>(`/api/v1/campaigns/${req.params.id}`).catch(() => {
      throw notFound();
    });
    return { c, campaign };
  }

  app.get('/campaigns/:id/import', consoleRoute, async (req: P, reply) => {
    const o = await officeCampaign(req, reply);
    if (!o) return;
    return sendPage(reply, importPage(pageContext(req, reply), { campaign: o.campaign }));
  });

  app.post('/campaigns/:id/import', consoleRoute, async (req: P, reply) => {
    const o = await officeCampaign(req, reply);
    if (!o) return;
    const file = req.consoleFiles?.[0];
    const page = (v: Omit<Parameters<typeof importPage>[1], 'campaign'>, status = 200) =>
      sendPage(reply.header('hx-replace-url', `/campaigns/${o.campaign.id}/import`), importPage(pageContext(req, reply), { campaign: o.campaign, ...v }), status);
    if (!file) return page({ message: '请选择要导入的清单文件（.xlsx 或 CSV）' }, 400);
    const r = await o.c.api.sendRaw<DryRun & { errors?: RowError[] }>(`/api/v1/campaigns/${o.campaign.id}/import?dryRun=true`, file.bytes, typeOf(file.bytes));
    if (r.status === 400 && r.body.code === 'IMPORT_REJECTED') return page({ fileName: file.name, errors: r.body.errors ?? [] }, 422);
    if (r.status !== 200) return page({ message: `无法导入“${file.name}”：${refusalText(r.body)}` }, r.status >= 400 ? r.status : 400);
    // Clean: keep the file for this session until the person confirms (or a day passes).
    const uploadId = crypto.randomUUID();
    // One file waiting per session and campaign (a re-upload replaces it); the forgotten ones go after a day.
    await sql`delete from console_uploads where created_at < now() - interval '1 day' or (session_hash = ${hash(o.c.sessionId)} and campaign_id = ${o.campaign.id})`;
    await sql`insert into console_uploads (id, session_hash, campaign_id, name, content) values (${uploadId}, ${hash(o.c.sessionId)}, ${o.campaign.id}, ${file.name}, ${file.bytes})`;
    return page({ fileName: file.name, dryRun: r.body, uploadId });
  });

  app.post('/campaigns/:id/import/:upload/confirm', consoleRoute, async (req: P, reply) => {
    const o = await officeCampaign(req, reply);
    if (!o) return;
    if (!UUID_RE.test(req.params.upload ?? '')) throw notFound();
    // Claimed atomically: a second confirm (a double click) finds nothing to import twice.
    const [up] = await sql<{ name: string; content: Buffer }[]>`
      delete from console_uploads where id = ${req.params.upload!} and session_hash = ${hash(o.c.sessionId)} and campaign_id = ${o.campaign.id}
      returning name, content`;
    if (!up) {
      setFlash(reply, 'error', '上传的清单已过期，请重新上传');
      return reply.redirect(`/campaigns/${o.campaign.id}/import`, 303);
    }
    const r = await o.c.api.sendRaw<DryRun>(`/api/v1/campaigns/${o.campaign.id}/import`, up.content, typeOf(up.content));
    if (r.status !== 200) {
      setFlash(reply, 'error', `导入未成功：${refusalText(r.body)}`);
      return reply.redirect(`/campaigns/${o.campaign.id}/import`, 303);
    }
    setFlash(reply, 'ok', `“${up.name}”已导入：新增 ${r.body.created.length} 项，修改 ${r.body.updated.length} 项，未变 ${r.body.unchanged} 项。`);
    return reply.redirect(`/campaigns/${o.campaign.id}`, 303);
  });

  /** The ledger (台账) as .xlsx, through the API as this person. */
  app.get('/campaigns/:id/ledger.xlsx', consoleRoute, async (req: P, reply) => {
    const c = signedIn(req, reply);
    if (!c) return;
    if (!UUID_RE.test(req.params.id)) throw notFound();
    const asOf = asOfDay(req); // 回溯: the ledger as it stood at that day's close
    return c.api.download(reply, `/api/v1/campaigns/${req.params.id}/ledger.xlsx${asOf ? `?asOf=${asOf}` : ''}`);
  });
}
