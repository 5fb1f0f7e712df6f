/** 工作日历: versions, a notice read from its text and loaded, a draft's effect, activation — through the API. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { allowed } from '../../domain/access';
import { parseHolidayNotice } from '../../domain/holiday-notice';
import { refusalText } from '../api-client';
import { forbidden, formKey, notFound, pageContext, sendPage, setFlash, signedIn } from '../context';
import { consoleRoute } from '../plugin';
import { calendarPage, type Effect, type Version } from '../views/calendar';


export async function calendarRoutes(app: FastifyInstance) {
  async function render(req: FastifyRequest, reply: FastifyReply, extra: Omit<Parameters<typeof calendarPage>[1], 'versions' | 'canWrite'> = {}, status = 200) {
    const c = req.console!;
    const { versions } = await c.api.get<{ versions: Version[] }>('/api/v1/calendar/versions');
    // A page answered to a form post: the address bar shows the calendar, which a reload can GET.
    return sendPage(reply.header('hx-replace-url', '/calendar'), calendarPage(pageContext(req, reply), { versions: [...versions].reverse(), canWrite: allowed(c.principal, 'directory:write'), ...extra }), status);
  }

  app.get('/calendar', consoleRoute, async (req, reply) => {
    const c = signedIn(req, reply);
    if (!c) return;
    if (!allowed(c.principal, 'directory:write')) throw forbidden();
    return render(req, reply);
  });

  app.post('/calendar/notice', consoleRoute, async (req: FastifyRequest<{ Body: Record<string, string> }>, reply) => {
    const c = signedIn(req, reply);
    if (!c) return;
    if (!allowed(c.principal, 'directory:write')) throw forbidden();
    const form = { name: String(req.body?.name ?? '').trim(), year: String(req.body?.year ?? ''), text: String(req.body?.text ?? '').slice(0, 20_000) };
    const year = Number(form.year);
    if (!Number.isInteger(year) || year < 2000 || year > 2100) return render(req, reply, { form, parsed: { holidays: [], workdays: [], problems: ['年份应在2000至2100之间'] } }, 400);
    const parsed = parseHolidayNotice(form.text, year);
    if (req.body?.step !== 'load' || parsed.problems.length) return render(req, reply, { form, parsed }, parsed.problems.length ? 400 : 200);
    const notice = { name: form.name, year, holidays: parsed.holidays, workdays: parsed.workdays };
    const r = await c.api.send<{ version: number }>('POST', '/api/v1/calendar/versions', notice, formKey(req.body));
    if (r.status !== 201) return render(req, reply, { form, parsed: { ...parsed, problems: [`载入未成功：${refusalText(r.body)}`] } }, 400);
    return reply.redirect(`/calendar/${r.body.version}/preview`, 303);
  });

  app.get('/calendar/:version/preview', consoleRoute, async (req: FastifyRequest<{ Params: { version: string } }>, reply) => {
    const c = signedIn(req, reply);
    if (!c) return;
    if (!allowed(c.principal, 'directory:write')) throw forbidden();
    if (!/^\d{1,9}$/.test(req.params.version)) throw notFound();
    const effect = await c.api.get<Effect>(`/api/v1/calendar/versions/${req.params.version}/preview`);
    return render(req, reply, { effect: { version: Number(req.params.version), effect, activated: false } });
  });

  app.post('/calendar/:version/activate', consoleRoute, async (req: FastifyRequest<{ Params: { version: string } }>, reply) => {
    const c = signedIn(req, reply);
    if (!c) return;
    if (!allowed(c.principal, 'directory:write')) throw forbidden();
    if (!/^\d{1,9}$/.test(req.params.version)) throw notFound();
    const r = await c.api.send<Effect>('POST', `/api/v1/calendar/versions/${req.params.version}/activate`, {});
    if (r.status !== 200) {
      setFlash(reply, 'error', `生效未成功：${refusalText(r.body)}`);
      return reply.redirect('/calendar', 303);
    }
    return render(req, reply, { effect: { version: Number(req.params.version), effect: r.body, activated: true } });
  });
}
