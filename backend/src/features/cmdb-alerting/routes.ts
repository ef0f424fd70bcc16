import type { FastifyInstance } from 'fastify';
import {
  ACK_LINK_PATH,
  ALERTMANAGER_WEBHOOK_PATH,
  AlertmanagerWebhookPayload,
  WECOM_CALLBACK_PATH,
  ErrorBody,
  IntakeAnswer,
  clusterPolicyRoutes,
  clusterReceiverRoutes,
  cmdbAlertingRoutes as spec,
  workspacePolicyRoutes,
  workspaceReceiverRoutes,
  type EscalationPolicyInput,
  type ReceiverInput,
  type RouteSpec,
} from '@ks-gpu-ml/contracts';
import { AppError } from '../../core/errors.js';
import { mountRoute } from '../../core/mount.js';
import { checkBearerToken } from './bearer-token.js';
import { rejectionOf, type IntakeMetrics } from './intake-metrics.js';
import type { AckPage, EscalationService } from './escalation-service.js';
import type { DeliveryAuditService } from './delivery-audit.js';
import type { ReceiverTester } from './receiver-test.js';
import type { WorkspaceAlerts } from './workspace-alerts.js';
import type { ConfigService } from './receivers-config.js';
import type { SilenceService } from './silences.js';
import type { CallbackQuery, WecomReplies } from './wecom-reply.js';
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

/** The five routes of one kind of configuration in one scope (contracts: `configRoutes`). */
interface ConfigRouteSet {
  list: RouteSpec;
  get: RouteSpec;
  create: RouteSpec;
  update: RouteSpec;
  remove: RouteSpec;
}

/** The owner a configuration route works on: the path's workspace, or '' for the cluster's. */
const ownerOf = (params: unknown): string => (params as { workspace?: string }).workspace ?? '';
const nameOf = (params: unknown): string => (params as { name: string }).name;

/** The five routes of one kind of configuration in one scope, each a line: parameters in, service out. */
function mountConfigRoutes<T extends { name: string }>(
  app: FastifyInstance,
  routes: ConfigRouteSet,
  service: ConfigService<T>,
): void {
  mountRoute(app, routes.list, async (ctx) => service.list(ownerOf(ctx.params)));
  mountRoute(app, routes.get, async (ctx) => service.get(ownerOf(ctx.params), nameOf(ctx.params)));
  mountRoute(app, routes.create, async (ctx) =>
    service.create(ownerOf(ctx.params), ctx.body as unknown as T),
  );
  mountRoute(app, routes.update, async (ctx) =>
    service.update(ownerOf(ctx.params), nameOf(ctx.params), ctx.body as unknown as T),
  );
  mountRoute(app, routes.remove, async (ctx) => service.remove(ownerOf(ctx.params), nameOf(ctx.params)));
}

/** Receivers and escalation policies of the cluster and of each workspace (docs/adr/0031). */
export async function cmdbAlertingConfigRoutes(
  app: FastifyInstance,
  opts: { receivers: ConfigService<ReceiverInput>; policies: ConfigService<EscalationPolicyInput> },
): Promise<void> {
  mountConfigRoutes(app, clusterReceiverRoutes, opts.receivers);
  mountConfigRoutes(app, workspaceReceiverRoutes, opts.receivers);
  mountConfigRoutes(app, clusterPolicyRoutes, opts.policies);
  mountConfigRoutes(app, workspacePolicyRoutes, opts.policies);
}

/** An alert's escalation, the signed-in user's acknowledgement, and Alertmanager's silences (docs/adr/0031). */
export async function cmdbAlertingEscalationRoutes(
  app: FastifyInstance,
  opts: { escalation: EscalationService; silences: SilenceService },
): Promise<void> {
  mountRoute(app, spec.getAlertEscalation, async (ctx) => opts.escalation.view(ctx.params.name));
  mountRoute(app, spec.acknowledgeAlert, async (ctx) =>
    opts.escalation.acknowledgeAs(ctx.params.name, ctx.user.name),
  );
  mountRoute(app, spec.getWorkspaceAlertEscalation, async (ctx) =>
    opts.escalation.viewIn(ctx.params.workspace, ctx.params.name),
  );
  mountRoute(app, spec.acknowledgeWorkspaceAlert, async (ctx) =>
    opts.escalation.acknowledgeIn(ctx.params.workspace, ctx.params.name, ctx.user.name),
  );
  mountRoute(app, spec.listSilences, async () => opts.silences.list());
  mountRoute(app, spec.createSilence, async (ctx) => opts.silences.create(ctx.body, ctx.user.name));
  mountRoute(app, spec.expireSilence, async (ctx) => opts.silences.expire(ctx.params.name));
}

/** An alert's delivery trail, and the outbox's dead letters with their retry, per scope (docs/adr/0034). */
export async function cmdbAlertingDeliveryRoutes(
  app: FastifyInstance,
  opts: { audit: DeliveryAuditService },
): Promise<void> {
  const { audit } = opts;
  const language = (ctx: { request: { headers: { 'accept-language'?: string } } }) =>
    ctx.request.headers['accept-language'];
  mountRoute(app, spec.getAlertDeliveries, async (ctx) => audit.trail(ctx.params.name, language(ctx)));
  mountRoute(app, spec.getWorkspaceAlertDeliveries, async (ctx) =>
    audit.trailIn(ctx.params.workspace, ctx.params.name, language(ctx)),
  );
  mountRoute(app, spec.listDeadLetters, async (ctx) =>
    audit.deadLetters(undefined, ctx.query, language(ctx)),
  );
  mountRoute(app, spec.retryDeadLetter, async (ctx) => audit.retry(undefined, ctx.params.name));
  mountRoute(app, spec.listWorkspaceDeadLetters, async (ctx) =>
    audit.deadLetters(ctx.params.workspace, ctx.query, language(ctx)),
  );
  mountRoute(app, spec.retryWorkspaceDeadLetter, async (ctx) =>
    audit.retry(ctx.params.workspace, ctx.params.name),
  );
}

/** The alerts a workspace's policies escalate, for its members (the cluster's list is listAlerts). */
export async function cmdbAlertingWorkspaceAlertRoutes(
  app: FastifyInstance,
  opts: { alerts: WorkspaceAlerts },
): Promise<void> {
  mountRoute(app, spec.listWorkspaceAlerts, async (ctx) => opts.alerts.list(ctx.params.workspace, ctx.query));
}

/** "Send test" on a receiver of the cluster or of a workspace: the provider's answer to one test message. */
export async function cmdbAlertingReceiverTestRoutes(
  app: FastifyInstance,
  opts: { tester: ReceiverTester },
): Promise<void> {
  mountRoute(app, spec.testClusterReceiver, async (ctx) =>
    opts.tester.test('', ctx.params.name, ctx.request.headers['accept-language']),
  );
  mountRoute(app, spec.testWorkspaceReceiver, async (ctx) =>
    opts.tester.test(ctx.params.workspace, ctx.params.name, ctx.request.headers['accept-language']),
  );
}

/**
 * The signed acknowledgement link: outside /kapis and the user-token guard (no routeSpec), like the intake; the
 * signature is the credential. Answers a small HTML page in the caller's language.
 */
export async function ackLinkRoutes(
  app: FastifyInstance,
  opts: { ackPage: (token: string, acceptLanguage: string | undefined) => Promise<AckPage> },
): Promise<void> {
  app.get(ACK_LINK_PATH, {
    // The query is the link's credential: fastify's request lines (which print the URL) stay off for this route,
    // and the answer's own line below names the outcome only.
    logLevel: 'silent',
    schema: { querystring: { type: 'object', properties: { t: { type: 'string', maxLength: 4096 } } } },
    handler: async (request, reply) => {
      const { t = '' } = request.query as { t?: string };
      const page = await opts.ackPage(t, request.headers['accept-language']);
      app.log.info(
        { reqId: request.id, status: page.status },
        'cmdb-alerting: acknowledgement link answered',
      );
      return reply
        .code(page.status)
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('referrer-policy', 'no-referrer')
        .send(page.html);
    },
  });
}

const NAME = { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$' } as const;
const CALLBACK_QUERY = {
  type: 'object',
  required: ['msg_signature', 'timestamp', 'nonce'],
  properties: {
    msg_signature: { type: 'string', pattern: '^[0-9a-fA-F]{40}$' },
    timestamp: { type: 'string', pattern: '^[0-9]{1,12}$' },
    nonce: { type: 'string', minLength: 1, maxLength: 64 },
    echostr: { type: 'string', minLength: 1, maxLength: 4096 },
  },
} as const;

/**
 * WeCom's "receive messages" callback of each WeCom app receiver (docs/adr/0047): outside /kapis and the user-token
 * guard (no routeSpec), like the intake and the ack link; WeCom's msg_signature with the receiver's Token is the
 * credential. GET answers the URL check's plaintext; POST answers 200 with an empty body once the message is handled.
 */
export async function wecomCallbackRoutes(
  app: FastifyInstance,
  opts: { replies: WecomReplies; maxBytes: number },
): Promise<void> {
  // WeCom posts XML; this parser is this plugin's only (fastify encapsulates it), bounded by bodyLimit.
  app.addContentTypeParser(
    ['text/xml', 'application/xml'],
    { parseAs: 'string', bodyLimit: opts.maxBytes },
    (_request, body, done) => done(null, body),
  );
  const target = (params: unknown) => {
    const { workspace = '', name } = params as { workspace?: string; name: string };
    return { owner: workspace, name };
  };
  for (const path of [`${WECOM_CALLBACK_PATH}/:name`, `${WECOM_CALLBACK_PATH}/:workspace/:name`]) {
    const params = {
      type: 'object',
      properties: path.includes(':workspace') ? { workspace: NAME, name: NAME } : { name: NAME },
    };
    app.get(path, {
      schema: { params, querystring: CALLBACK_QUERY },
      handler: async (request, reply) => {
        const { owner, name } = target(request.params);
        const plain = await opts.replies.verifyUrl(owner, name, request.query as CallbackQuery);
        return reply.type('text/plain; charset=utf-8').send(plain);
      },
    });
    app.post(path, {
      bodyLimit: opts.maxBytes,
      schema: { params, querystring: CALLBACK_QUERY },
      handler: async (request, reply) => {
        const { owner, name } = target(request.params);
        const body = typeof request.body === 'string' ? request.body : '';
        await opts.replies.receive(owner, name, request.query as CallbackQuery, body);
        return reply.code(200).type('text/plain; charset=utf-8').send('');
      },
    });
  }
}
