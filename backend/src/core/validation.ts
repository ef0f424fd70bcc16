import { Ajv, type Options } from 'ajv';
import type { FastifyInstance } from 'fastify';

/**
 * Request validation with one Ajv per part of the request. Path and query strings are text, so they are coerced
 * (`?limit=10` → 10, a single `?x=a` → ['a']); bodies are JSON and already typed, so a number where a string
 * belongs is an error, never silently turned into "12345". Unknown fields are errors too, not dropped: a typo in
 * a quota body must not "succeed".
 */
const shared: Options = { removeAdditional: false, useDefaults: true, allErrors: false, strict: false };

export function installValidation(app: FastifyInstance): void {
  const coercing = new Ajv({ ...shared, coerceTypes: 'array' });
  const strict = new Ajv({ ...shared, coerceTypes: false });
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === 'body' ? strict : coercing).compile(schema),
  );
}
