/**
 * Scripts, styles and the chart library, served from the app itself (npm packages and
 * console/assets): a closed network has no CDN. Read once, sent with an ETag and a day's cache.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { consoleRoute } from '../plugin';

const here = path.join(__dirname, '..', 'assets');
const pkg = (name: string, file: string) => path.join(path.dirname(require.resolve(`${name}/package.json`)), file);

const FILES: Record<string, { file: string; type: string }> = {
  'console.css': { file: path.join(here, 'console.css'), type: 'text/css; charset=utf-8' },
  'console.js': { file: path.join(here, 'console.js'), type: 'text/javascript; charset=utf-8' },
  'htmx.min.js': { file: pkg('htmx.org', 'dist/htmx.min.js'), type: 'text/javascript; charset=utf-8' },
  'echarts.min.js': { file: pkg('echarts', 'dist/echarts.min.js'), type: 'text/javascript; charset=utf-8' },
};

export async function assetRoutes(app: FastifyInstance) {
  const cache = new Map<string, { body: Buffer; etag: string }>();
  const load = (name: string) => {
    let hit = cache.get(name);
    if (!hit) {
      const body = fs.readFileSync(FILES[name]!.file);
      hit = { body, etag: `"${crypto.createHash('sha256').update(body).digest('base64url').slice(0, 16)}"` };
      cache.set(name, hit);
    }
    return hit;
  };
  // Static files are not rate limited: a page's scripts and styles are not its reader's budget.
  app.get('/assets/:name', { ...consoleRoute, config: { ...consoleRoute.config, rateLimit: false } }, async (req, reply) => {
    const { name } = req.params as { name: string };
    if (!Object.hasOwn(FILES, name)) return reply.callNotFound();
    const { body, etag } = load(name);
    reply.header('etag', etag).header('cache-control', 'public, max-age=86400');
    if (req.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.type(FILES[name]!.type).send(body);
  });
}
