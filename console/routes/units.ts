/** 单位 (the office): the directory, adding a unit, issuing a token — through the API as this person. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { allowed } from '../../domain/access';
import { refusalText } from '../api-client';
import { forbidden, formKey, pageContext, sendPage, setFlash, signedIn } from '../context';
import { consoleRoute } from '../plugin';
import { unitsPage, type UnitRow } from '../views/units';


export async function unitRoutes(app: FastifyInstance) {
  const render = async (req: FastifyRequest, reply: Parameters<typeof signedIn>[1], extra: Omit<Parameters<typeof unitsPage>[1], 'units'> = {}, status = 200) => {
    const c = req.console!;
    const { units } = await c.api.get<{ units: UnitRow[] }>('/api/v1/units');
    // A page answered to a form post: the address bar shows /units, which a reload can GET.
    return sendPage(reply.header('hx-replace-url', '/units'), unitsPage(pageContext(req, reply), { units, ...extra }), status);
  };

  app.get('/units', consoleRoute, async (req, reply) => {
    const c = signedIn(req, reply);
    if (!c) return;
    if (!allowed(c.principal, 'directory:write')) throw forbidden();
    return render(req, reply);
  });

  app.post('/units', consoleRoute, async (req: FastifyRequest<{ Body: Record<string, string> }>, reply) => {
    const c = signedIn(req, reply);
    if (!c) return;
    if (!allowed(c.principal, 'directory:write')) throw forbidden();
    const aliases = String(req.body?.aliases ?? '')
      .split(/[、,，;；]/)
      .map((a) => a.trim())
      .filter(Boolean);
    const body = { name: String(req.body?.name ?? '').trim(), kind: req.body?.kind, aliases };
    const r = await c.api.send<{ name: string }>('POST', '/api/v1/units', body, formKey(req.body));
    if (r.status !== 201) return render(req, reply, { error: `新增单位未成功：${refusalText(r.body)}` }, 400);
    setFlash(reply, 'ok', `已新增单位“${r.body.name}”`);
    return reply.redirect('/units', 303);
  });

  app.post('/units/tokens', consoleRoute, async (req: FastifyRequest<{ Body: Record<string, string> }>, reply) => {
    const c = signedIn(req, reply);
    if (!c) return;
    if (!allowed(c.principal, 'principal:write')) throw forbidden();
    const role = String(req.body?.role ?? '');
    const body = { role, name: String(req.body?.name ?? '').trim(), ...(role === 'unit' && req.body?.unitId ? { unitId: req.body.unitId } : {}) };
    // A form sent twice (a double click) shows the one token issued, not a second one nobody keeps.
    const r = await c.api.send<{ token: string; name: string; role: string }>('POST', '/api/v1/principals', body, formKey(req.body));
    if (r.status !== 201) return render(req, reply, { error: `发放令牌未成功：${refusalText(r.body)}` }, 400);
    // Shown once, on this answer only (never in a cookie or a URL).
    return render(req, reply, { issued: { name: r.body.name, token: r.body.token, role: r.body.role } });
  });
}
