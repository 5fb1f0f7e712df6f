/**
 * One error shape for every failure: { statusCode, error, code, message, ...details }.
 * zod validation failures become 400s with one entry per field.
 */
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { STATUS_CODES } from 'node:http';
import { isCalendarDomainError } from '../../domain/bounds';
import { FontError } from '../../infra/fonts';
import { AppError, databaseUnavailable, isDatabaseDown } from '../errors';
import { temporalHttpError } from '../services/temporal-errors';

export default fp(async (app) => {
  app.setErrorHandler((error, req, reply) => {
    const err = error as Error & { statusCode?: number; code?: string };
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = (err as { validationContext?: string }).validationContext ?? 'request';
      const details = err.validation.map((v) => ({
        path: [where, ...v.instancePath.split('/').filter(Boolean)].join('.'),
        message: v.message ?? 'invalid',
      }));
      return reply.status(400).send({
        statusCode: 400,
        error: 'Bad Request',
        code: 'VALIDATION_FAILED',
        message: details.map((d) => `${d.path}: ${d.message}`).join('; '),
        details,
      });
    }
    // A part we depend on away (PostgreSQL, Temporal): 503 naming it, never a bare 500 — and
    // never the driver's text (addresses, internals): that goes to the log. A Temporal failure a
    // service left unmapped is answered by the same mapping the services use (temporal-errors.ts).
    const known = err instanceof AppError ? err : isDatabaseDown(err) ? databaseUnavailable(err) : temporalHttpError(err);
    if (known) {
      if (known.statusCode >= 500) req.log.error({ err: known.cause ?? err, code: known.code }, known.message);
      return reply.status(known.statusCode).send({
        statusCode: known.statusCode,
        error: STATUS_CODES[known.statusCode],
        code: known.code,
        message: known.message,
        ...known.extra,
      });
    }
    // A date, offset or duration outside its domain, or calendar arithmetic that would leave it (domain/bounds.ts).
    if (isCalendarDomainError(err)) {
      const details = [{ path: err.field ?? 'request', message: `${err.message} (${err.messageZh})` }];
      return reply.status(400).send({ statusCode: 400, error: 'Bad Request', code: err.code, message: err.message, messageZh: err.messageZh, details });
    }
    // No Chinese fonts for a PDF (a letter, a preview): the server's set-up, said as such.
    if (err instanceof FontError) {
      req.log.error({ err }, err.message);
      return reply.status(500).send({ statusCode: 500, error: STATUS_CODES[500], code: 'FONTS_MISSING', message: err.message });
    }
    if (isResponseSerializationError(err)) {
      req.log.error({ err, issues: err.cause.issues }, 'response does not match its schema');
      return reply.status(500).send({ statusCode: 500, error: 'Internal Server Error', code: 'INTERNAL', message: 'internal error' });
    }
    const status = err.statusCode ?? 500;
    if (status >= 500) req.log.error({ err }, 'request failed');
    return reply.status(status).send({
      statusCode: status,
      error: STATUS_CODES[status],
      code: err.code ?? (status >= 500 ? 'INTERNAL' : 'BAD_REQUEST'),
      message: status >= 500 ? 'internal error' : err.message,
    });
  });
  app.setNotFoundHandler((req, reply) =>
    reply.status(404).send({ statusCode: 404, error: 'Not Found', code: 'NOT_FOUND', message: `no route ${req.method} ${req.url}` }),
  );
});
