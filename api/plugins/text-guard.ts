/**
 * Text the engine can store, for every request in one place: any string in a JSON body, the query
 * string, the path parameters or a header that holds NUL (U+0000), another C0 control character
 * (except tab, line feed, carriage return) or a lone UTF-16 surrogate is refused with a 400
 * INVALID_TEXT naming the field — PostgreSQL would refuse it later (22021), or, in an audit event,
 * wedge the item's workflow. Strings, arrays and nesting are bounded too (domain/text.ts: a 400
 * INPUT_TOO_LARGE naming the field); the route schemas set the tighter per-field limits.
 *
 * Headers, query and path are checked on request (before the token is looked up); the body once
 * parsed, before validation. Raw bodies (an import's file) are the importer's to check, per cell.
 */
import fp from 'fastify-plugin';
import { findTextIssue, INVALID_TEXT_MESSAGE_ZH, textProblem, TOO_LARGE_MESSAGE_ZH, type TextIssue } from '../../domain/text';
import { AppError } from '../errors';

export const invalidText = ({ kind, ...issue }: TextIssue) =>
  kind === 'characters'
    ? new AppError(400, 'INVALID_TEXT', `${issue.path}: ${issue.message} (${INVALID_TEXT_MESSAGE_ZH})`, {
        messageZh: `${issue.path}：${INVALID_TEXT_MESSAGE_ZH}`,
        details: [issue],
      })
    : new AppError(400, 'INPUT_TOO_LARGE', `${issue.path}: ${issue.message}`, { messageZh: `${issue.path}：${TOO_LARGE_MESSAGE_ZH}`, details: [issue] });

function headerIssue(headers: Record<string, string | string[] | undefined>): TextIssue | null {
  for (const [name, value] of Object.entries(headers)) {
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
      const p = textProblem(v);
      if (p) return { path: `headers.${name}`, message: p, kind: 'characters' };
    }
  }
  return null;
}

export default fp(
  async (app) => {
    app.addHook('onRequest', async (req) => {
      const issue =
        headerIssue(req.headers) ?? findTextIssue(req.query, 'querystring') ?? findTextIssue(req.params, 'params');
      if (issue) throw invalidText(issue);
    });
    app.addHook('preValidation', async (req) => {
      if (req.body === undefined || req.body === null || Buffer.isBuffer(req.body)) return;
      const issue = findTextIssue(req.body, 'body');
      if (issue) throw invalidText(issue);
    });
  },
  { name: 'text-guard' },
);
