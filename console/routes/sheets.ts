/** 调度表 and 考评: one dispatch sheet or evaluation of a campaign, read through the API as this person. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { CampaignDto } from '../../api/routes/campaigns/schemas';
import { notFound, pageContext, rethrow404, sendPage, signedIn, UUID_RE } from '../context';
import { consoleRoute } from '../plugin';
import { evaluationPage, sheetPage, type EvaluationDto, type SheetDto } from '../views/sheet';

type P = FastifyRequest<{ Params: { id: string; seq: string } }>;
const SEQ_RE = /^[1-9]\d{0,8}$/;

export async function sheetRoutes(app: FastifyInstance) {
  app.get('/campaigns/:id/sheets/:seq', consoleRoute, async (req: P, reply) => {
    const c = signedIn(req, reply);
    if (!c) return;
    const { id, seq } = req.params;
    if (!UUID_RE.test(id) || !SEQ_RE.test(seq)) throw notFound();
    const base = `/api/v1/campaigns/${id}`;
    const [campaign, sheet, list] = await Promise.all([
      c.api.get<CampaignDto>(base),
      c.api.get<SheetDto>(`${base}/dispatch-sheets/${seq}`),
      c.api.get<{ sheets: { seq: number }[] }>(`${base}/dispatch-sheets`),
    ]).catch(rethrow404);
    return sendPage(reply, sheetPage(pageContext(req, reply), { campaign, sheet, last: list.sheets.at(-1)?.seq ?? sheet.seq }));
  });

  app.get('/campaigns/:id/evaluations/:seq', consoleRoute, async (req: P, reply) => {
    const c = signedIn(req, reply);
    if (!c) return;
    const { id, seq } = req.params;
    if (!UUID_RE.test(id) || !SEQ_RE.test(seq)) throw notFound();
    const base = `/api/v1/campaigns/${id}`;
    const [campaign, evaluation, list] = await Promise.all([
      c.api.get<CampaignDto>(base),
      c.api.get<EvaluationDto>(`${base}/evaluations/${seq}`),
      c.api.get<{ evaluations: { seq: number }[] }>(`${base}/evaluations`),
    ]).catch(rethrow404);
    return sendPage(reply, evaluationPage(pageContext(req, reply), { campaign, evaluation, last: list.evaluations.at(-1)?.seq ?? evaluation.seq }));
  });
}
