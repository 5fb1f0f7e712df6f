/**
 * 函件模板: the letter types of a campaign, one type's wording in an editor beside its sample
 * letter, saving a new version — through the API as this person (editing and trying unsaved
 * wording are the office's: domain/access.ts template:write / template:try).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CampaignDto } from '../../api/routes/campaigns/schemas';
import { allowed } from '../../domain/access';
import { LETTER_TYPES, type LetterType } from '../../domain/letters/types';
import { refusalText } from '../api-client';
import { forbidden, formKey, notFound, pageContext, rethrow404, sendPage, setFlash, signedIn, UUID_RE } from '../context';
import { consoleRoute } from '../plugin';
import { previewError, templatePage, templatesPage, type TemplateVersion } from '../views/templates';

type P = FastifyRequest<{ Params: { id: string; type: string; format?: string }; Querystring: { version?: string; from?: string; after?: string }; Body: Record<string, string> }>;
const FIT_FRAME = '@media (max-width: 860px) { html { zoom: .8 } } @media (max-width: 700px) { html { zoom: .65 } } @media (max-width: 560px) { html { zoom: .5 } } @media (max-width: 420px) { html { zoom: .4 } }';
const VERSION_RE = /^\d{1,9}$/;

/** The sample letter is shown in a sandboxed frame of our own pages: no script, only its own inline styles. */
// `sandbox` here too: the sample opened on its own (a new tab) is as confined as in the frame.
const PREVIEW_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; form-action 'none'; base-uri 'none'";

function checked(req: P): { id: string; type: LetterType } {
  const { id, type } = req.params;
  if (!UUID_RE.test(id) || !(LETTER_TYPES as readonly string[]).includes(type)) throw notFound();
  return { id, type: type as LetterType };
}
const versionOf = (v: string | undefined): number | undefined => (v !== undefined && VERSION_RE.test(v) ? Number(v) : undefined);

/** The preview frame's answers, errors included, carry the frame's policy: the console's own forbids framing. */
const framed = (reply: FastifyReply) => reply.header('content-security-policy', PREVIEW_CSP);
const framedError = (reply: FastifyReply, status: number, text: string) => reply.code(status).type('text/html; charset=utf-8').send(previewError(text));

export async function templateRoutes(app: FastifyInstance) {
  app.get('/campaigns/:id/templates', consoleRoute, async (req: P, reply) => {
    const c = signedIn(req, reply);
    if (!c) return;
    const { id } = req.params;
    if (!UUID_RE.test(id)) throw notFound();
    const [campaign, { templates }] = await Promise.all([c.api.get<CampaignDto>(`/api/v1/campaigns/${id}`), c.api.get<{ templates: TemplateVersion[] }>(`/api/v1/campaigns/${id}/letter-templates`)]).catch(
      rethrow404,
    );
    return sendPage(reply, templatesPage(pageContext(req, reply), { campaign, templates, canWrite: allowed(c.principal, 'template:write') }));
  });

  async function editor(req: P, reply: FastifyReply, form?: { title: string; body: string; from: number }, error?: string) {
    const c = req.console!;
    const { id, type } = checked(req);
    const after = versionOf(req.query.after);
    const [campaign, history] = await Promise.all([
      c.api.get<CampaignDto>(`/api/v1/campaigns/${id}`),
      c.api.get<{ current: TemplateVersion; versions: TemplateVersion[]; next: number | null }>(`/api/v1/campaigns/${id}/letter-templates/${type}${after === undefined ? '' : `?after=${after}`}`),
    ]).catch(rethrow404);
    let start = form;
    if (!start) {
      const from = versionOf(req.query.from);
      const base = from === undefined ? history.current : await c.api.get<TemplateVersion>(`/api/v1/campaigns/${id}/letter-templates/${type}?version=${from}`).catch(rethrow404);
      start = { title: base.title, body: base.body, from: base.version };
    }
    // Answered to a form post: the address a reload can GET (the editor on the current version).
    return sendPage(
      form ? reply.header('hx-replace-url', `/campaigns/${id}/templates/${type}`) : reply,
      templatePage(pageContext(req, reply), { campaign, ...history, form: start, canWrite: allowed(c.principal, 'template:write'), ...(error ? { error } : {}) }),
      error ? 400 : 200,
    );
  }

  app.get('/campaigns/:id/templates/:type', consoleRoute, async (req: P, reply) => {
    if (!signedIn(req, reply)) return;
    return editor(req, reply);
  });

  app.post('/campaigns/:id/templates/:type', consoleRoute, async (req: P, reply) => {
    const c = signedIn(req, reply);
    if (!c) return;
    const { id, type } = checked(req);
    if (!allowed(c.principal, 'template:write')) throw forbidden();
    const form = { title: String(req.body?.title ?? ''), body: String(req.body?.body ?? '').replace(/\r\n/g, '\n'), from: versionOf(req.body?.from) ?? 0 };
    const r = await c.api.send<TemplateVersion>('PUT', `/api/v1/campaigns/${id}/letter-templates/${type}`, { title: form.title, body: form.body }, formKey(req.body));
    if (r.status !== 200) return editor(req, reply, form, `保存未成功：${refusalText(r.body)}`);
    setFlash(reply, 'ok', `已保存为第${r.body.version}版，此后印发的${r.body.typeLabel}使用新文本`);
    return reply.redirect(`/campaigns/${id}/templates/${type}`, 303);
  });

  /** The sample letter in the frame: a stored version (GET) or the wording being edited (POST, the office). */
  async function sample(req: P, reply: FastifyReply, body: object, format: 'html' | 'pdf' | 'docx') {
    const c = req.console!;
    const { id, type } = checked(req);
    const r = await c.api.sendForDocument(`/api/v1/campaigns/${id}/letter-templates/${type}/preview`, { ...body, format });
    if (r.error) {
      if (format !== 'html') throw Object.assign(new Error('sample'), { statusCode: r.status === 403 ? 404 : r.status });
      return framedError(reply, r.status, refusalText(r.error));
    }
    for (const h of ['content-type', 'content-disposition']) if (r.headers[h]) reply.header(h, r.headers[h]);
    // An A4 page in a frame narrower than A4: shown whole, scaled down, rather than cut.
    return reply.send(format === 'html' ? Buffer.from(r.bytes.toString('utf8').replace('</head>', `<style>${FIT_FRAME}</style></head>`)) : r.bytes);
  }

  app.get('/campaigns/:id/templates/:type/preview', consoleRoute, async (req: P, reply) => {
    framed(reply);
    if (!req.console) return framedError(reply, 401, '登录已过期，请重新登录后刷新页面');
    const version = versionOf(req.query.version);
    return sample(req, reply, version === undefined ? {} : { version }, 'html');
  });

  app.get('/campaigns/:id/templates/:type/sample.:format', consoleRoute, async (req: P, reply) => {
    if (!signedIn(req, reply)) return;
    const format = req.params.format;
    if (format !== 'pdf' && format !== 'docx') throw notFound();
    const version = versionOf(req.query.version);
    return sample(req, reply, version === undefined ? {} : { version }, format);
  });

  app.post('/campaigns/:id/templates/:type/preview', consoleRoute, async (req: P, reply) => {
    framed(reply);
    const c = req.console;
    if (!c) return framedError(reply, 401, '登录已过期，请重新登录后刷新页面');
    if (!allowed(c.principal, 'template:try')) return framedError(reply, 403, '只有督办办公室可以试排未保存的文本');
    return sample(req, reply, { title: String(req.body?.title ?? ''), body: String(req.body?.body ?? '').replace(/\r\n/g, '\n') }, 'html');
  });
}
