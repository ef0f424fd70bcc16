import type { FastifyInstance } from 'fastify';
import {
  ALERTMANAGER_WEBHOOK_PATH,
  AlertmanagerWebhookPayload,
  ErrorBody,
  IntakeAnswer,
  cmdbAlertingRoutes as spec,
} from '@ks-gpu-ml/contracts';
import { AppError } from '../../platform/errors.js';
import { mountRoute } from '../../platform/mount.js';
import { checkBearerToken } from './bearer-token.js';
import { rejectionOf, type IntakeMetrics } from './intake-metrics.js';
import type { IntakeService } from './service.js';

export interface IntakeRouteOptions {
  service: IntakeService;
  metrics: IntakeMetrics;
  /** The token Alertmanager must present; re-read by the caller when the Secret is rotated. */
  expectedToken: () => string | undefined;
  maxBytes: number;
  maxAlerts: number;
}

const { $id: _errorId, ...errorSchema } = ErrorBody;

const TOKEN_REFUSAL = {
  missing: 'CMDB_ALERTING_INTAKE_TOKEN_MISSING',
  wrong: 'CMDB_ALERTING_INTAKE_TOKEN_WRONG',
  unconfigured: 'CMDB_ALERTING_INTAKE_TOKEN_UNCONFIGURED',
} as const;

const tooLarge = (params: Record<string, unknown>, key: string) =>
  new AppError(413, 'BadRequest', key, params, params);

/**
 * Alertmanager's webhook. Not a contract route under /kapis (no routeSpec), so the user-token guard does not run;
 * Alertmanager's own bearer token is checked here instead, before the body is read. Answers in order: 401, 413
 * (bytes, from the header), 400 (JSON and schema), 413 (alert count), 503 (store), 200.
 */
export async function intakeRoutes(app: FastifyInstance, options: IntakeRouteOptions): Promise<void> {
  app.addHook('onResponse', async (_request, reply) => {
    const reason = rejectionOf(reply.statusCode);
    if (reason) options.metrics.rejected(reason);
  });

  app.post(ALERTMANAGER_WEBHOOK_PATH, {
    // The backstop for bodies without a Content-Length (chunked): fastify stops reading at this size.
    bodyLimit: options.maxBytes,
    schema: {
      body: AlertmanagerWebhookPayload,
      response: { 200: IntakeAnswer, '4xx': errorSchema, '5xx': errorSchema },
    },
    onRequest: async (request, reply) => {
      const verdict = checkBearerToken(request.headers.authorization, options.expectedToken());
      if (verdict !== 'ok') {
        void reply.header('www-authenticate', 'Bearer realm="cmdb-alerting intake"');
        throw new AppError(401, 'Unauthorized', TOKEN_REFUSAL[verdict]);
      }
      const length = Number(request.headers['content-length'] ?? 0);
      if (length > options.maxBytes) {
        throw tooLarge({ bytes: length, maxBytes: options.maxBytes }, 'CMDB_ALERTING_INTAKE_TOO_MANY_BYTES');
      }
    },
    preValidation: async (request) => {
      const alerts = (request.body as { alerts?: unknown } | undefined)?.alerts;
      if (Array.isArray(alerts) && alerts.length > options.maxAlerts) {
        throw tooLarge(
          { alerts: alerts.length, maxAlerts: options.maxAlerts },
          'CMDB_ALERTING_INTAKE_TOO_MANY_ALERTS',
        );
      }
    },
    handler: async (request) => options.service.accept(request.body as AlertmanagerWebhookPayload),
  });
}

/** Routes of `cmdb-alerting.ks-gpu-ml.io` under /kapis (user token, authorization): parameters in, service out. */
export async function cmdbAlertingApiRoutes(
  app: FastifyInstance,
  opts: { service: IntakeService },
): Promise<void> {
  mountRoute(app, spec.listAlerts, async (ctx) => opts.service.list(ctx.query));
}
