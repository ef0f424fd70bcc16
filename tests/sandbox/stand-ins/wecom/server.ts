// The WeCom stand-in (the real qyapi.weixin.qq.com is unreachable from here): the group robot's webhook/send and
// the app's gettoken and message/send, with the documented request formats, limits and errcodes (reference §5.1,
// §5.2): HTTP 200 with errcode on every WeCom error; 20 messages a minute per robot key → 45009; markdown above
// 4,096 bytes (robot) or 2,048 (app) → 40058; unknown key → 93000; expired token → 42001, unknown → 40014; unknown
// users in `invaliduser`, all unknown → 81013. WeCom's side of an app's callback too: a user's reply encrypted, signed
// and posted to the URL the app configured (callback.ts). Control endpoints under /_stand-in/ for tests.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { postText, verifyUrl, type Callback } from './callback.js';
import { faults, WecomState, type Fault } from './state.js';

type Json = Record<string, unknown>;
const bytes = (text: unknown) => Buffer.byteLength(typeof text === 'string' ? text : '', 'utf8');
const LIMITS: Record<string, number> = { markdown: 4096, text: 2048 };
const APP_LIMITS: Record<string, number> = { markdown: 2048, text: 2048 };

async function readJson(req: IncomingMessage): Promise<Json | undefined> {
  let raw = '';
  for await (const chunk of req) raw += (chunk as Buffer).toString('utf8');
  try {
    const value: unknown = raw ? JSON.parse(raw) : {};
    return value && typeof value === 'object' ? (value as Json) : undefined;
  } catch {
    return undefined;
  }
}

function reply(res: ServerResponse, body: unknown, status = 200): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

const wecomError = (errcode: number, errmsg: string) => ({ errcode, errmsg });

/** The answer a fault forces, or undefined; 'timeout' never answers (the caller's deadline must fire). */
function faultAnswer(fault: Fault | undefined, res: ServerResponse): boolean {
  if (!fault) return false;
  if (fault === 'timeout') return true;
  if (fault === 'server-error') reply(res, { error: 'stand-in fault: server error' }, 500);
  else if (fault === 'rate-limit') reply(res, wecomError(45009, 'api freq out of limit'));
  else if (fault === 'invalid-key') reply(res, wecomError(93000, 'invalid webhook url'));
  else reply(res, wecomError(60020, 'not allow to access from your ip'));
  return true;
}

function contentError(body: Json, limits: Record<string, number>): ReturnType<typeof wecomError> | undefined {
  const type = String(body.msgtype ?? '');
  const content = (body[type] as Json | undefined)?.content;
  if (!(type in limits) || typeof content !== 'string') return wecomError(40008, 'invalid message type');
  if (bytes(content) > limits[type]!)
    return wecomError(40058, `${type}.content exceed max length ${limits[type]}`);
  return undefined;
}

function robotSend(state: WecomState, key: string, body: Json | undefined, res: ServerResponse): void {
  const fault = state.faultFor(key);
  const answer = !body
    ? wecomError(40016, 'invalid json')
    : fault && fault !== 'timeout'
      ? undefined
      : !state.robots.has(key)
        ? wecomError(93000, 'invalid webhook url, hint: [stand-in]')
        : (contentError(body, LIMITS) ??
          (state.robotMaySend(key) ? wecomError(0, 'ok') : wecomError(45009, 'api freq out of limit')));
  state.record({ api: 'robot', target: key, body, errcode: answer?.errcode ?? -2 });
  if (!faultAnswer(fault, res)) reply(res, answer);
}

function getToken(state: WecomState, url: URL, res: ServerResponse): void {
  const corpId = url.searchParams.get('corpid') ?? '';
  const app = state.apps.get(corpId);
  const ok = app && app.corpSecret === url.searchParams.get('corpsecret');
  state.record({ api: 'gettoken', target: corpId, body: null, errcode: ok ? 0 : 40001 });
  if (faultAnswer(state.faultFor(corpId), res)) return;
  if (!app) return reply(res, wecomError(40013, 'invalid corpid'));
  if (!ok) return reply(res, wecomError(40001, 'invalid credential'));
  reply(res, {
    ...wecomError(0, 'ok'),
    access_token: state.issueToken(corpId),
    expires_in: state.tokenTtlSeconds,
  });
}

function messageSend(state: WecomState, url: URL, body: Json | undefined, res: ServerResponse): void {
  const token = state.tokens.get(url.searchParams.get('access_token') ?? '');
  const corpId = token?.corpId ?? '';
  const users = String(body?.touser ?? '')
    .split('|')
    .filter(Boolean);
  const invalid = users.filter((u) => !state.users.has(u));
  const answer = !token
    ? wecomError(40014, 'invalid access_token')
    : token.expiresAt <= Date.now()
      ? wecomError(42001, 'access_token expired')
      : !body
        ? wecomError(40016, 'invalid json')
        : (contentError(body, APP_LIMITS) ??
          (users.length > 0 && invalid.length === users.length
            ? wecomError(81013, 'user & party & tag all invalid')
            : {
                ...wecomError(0, 'ok'),
                invaliduser: invalid.join('|'),
                msgid: `msg-${state.received.length}`,
              }));
  state.record({ api: 'message', target: corpId, body, errcode: answer.errcode });
  if (!faultAnswer(token ? state.faultFor(corpId) : undefined, res)) reply(res, answer);
}

/** POST /_stand-in/config {robots?, apps?, users?, tokenTtlSeconds?, expireTokens?}; /faults {target, fault|null}. */
function control(state: WecomState, path: string, body: Json | undefined, res: ServerResponse): void {
  if (!body) return reply(res, { error: 'body must be a JSON object' }, 400);
  if (path === '/_stand-in/faults') {
    const { target, fault } = body as { target?: unknown; fault?: unknown };
    if (typeof target !== 'string' || (fault !== null && !faults.includes(fault as Fault))) {
      return reply(res, { error: `target must be a string, fault one of ${faults.join(', ')} or null` }, 400);
    }
    if (fault === null) state.faults.delete(target);
    else state.faults.set(target, fault as Fault);
    return reply(res, { ok: true });
  }
  for (const key of (body.robots as string[] | undefined) ?? []) state.robots.add(key);
  for (const app of (body.apps as { corpId: string; corpSecret: string; agentId: number }[] | undefined) ??
    []) {
    state.apps.set(app.corpId, app);
  }
  for (const user of (body.users as string[] | undefined) ?? []) state.users.add(user);
  if (typeof body.tokenTtlSeconds === 'number') state.tokenTtlSeconds = body.tokenTtlSeconds;
  if (body.expireTokens === true) state.expireTokens();
  reply(res, { ok: true });
}

const isCallback = (v: Json): boolean =>
  typeof v.corpId === 'string' &&
  typeof v.agentId === 'number' &&
  typeof v.url === 'string' &&
  /^https?:\/\//.test(v.url) &&
  typeof v.token === 'string' &&
  typeof v.encodingAesKey === 'string' &&
  /^[A-Za-z0-9+/]{43}$/.test(v.encodingAesKey);

/**
 * POST /_stand-in/callbacks {corpId, agentId, url, token, encodingAesKey}: an app's callback, as saved in WeCom;
 * /_stand-in/verify-url {corpId, echo, tamper?}: the GET check WeCom makes on saving;
 * /_stand-in/reply {corpId, from, content, tamper?}: user `from` (a known user: only members message an app) sends
 * the app a text; tamper 'signature' spoils msg_signature, 'corp' seals it for another corp. Answers what the
 * callback answered: {status, body}.
 */
async function callbackControl(state: WecomState, path: string, body: Json | undefined, res: ServerResponse) {
  if (!body) return reply(res, { error: 'body must be a JSON object' }, 400);
  if (path === '/_stand-in/callbacks') {
    if (!isCallback(body))
      return reply(
        res,
        { error: 'corpId, agentId, url (http/https), token, encodingAesKey (43 base64) needed' },
        400,
      );
    state.callbacks.set(body.corpId as string, body as unknown as Callback);
    return reply(res, { ok: true });
  }
  const cb = state.callbacks.get(String(body.corpId ?? ''));
  if (!cb) return reply(res, { error: `no callback configured for corp ${String(body.corpId)}` }, 404);
  const tamper = typeof body.tamper === 'string' ? body.tamper : undefined;
  if (path === '/_stand-in/verify-url')
    return reply(res, await verifyUrl(cb, String(body.echo ?? 'echo'), tamper));
  const from = String(body.from ?? '');
  if (!state.users.has(from)) return reply(res, { error: `${from} is not a user of this WeCom` }, 400);
  const msgId = String(state.nextMsgId++);
  const answer = await postText(cb, from, String(body.content ?? ''), msgId, tamper);
  state.record({
    api: 'callback',
    target: cb.corpId,
    body: { from, content: body.content, msgId, tamper },
    errcode: answer.status,
  });
  reply(res, { ...answer, msgId });
}

async function route(state: WecomState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://stand-in');
  const post = req.method === 'POST';
  if (url.pathname === '/healthz') return reply(res, { ok: true });
  if (post && url.pathname === '/cgi-bin/webhook/send') {
    return robotSend(state, url.searchParams.get('key') ?? '', await readJson(req), res);
  }
  if (req.method === 'GET' && url.pathname === '/cgi-bin/gettoken') return getToken(state, url, res);
  if (post && url.pathname === '/cgi-bin/message/send')
    return messageSend(state, url, await readJson(req), res);
  if (req.method === 'GET' && url.pathname === '/_stand-in/received') {
    const target = url.searchParams.get('target');
    return reply(
      res,
      state.received.filter((r) => !target || r.target === target),
    );
  }
  if (post && ['/_stand-in/callbacks', '/_stand-in/verify-url', '/_stand-in/reply'].includes(url.pathname)) {
    return callbackControl(state, url.pathname, await readJson(req), res);
  }
  if (post && (url.pathname === '/_stand-in/config' || url.pathname === '/_stand-in/faults')) {
    return control(state, url.pathname, await readJson(req), res);
  }
  reply(res, { error: `the WeCom stand-in has no ${req.method} ${url.pathname}` }, 404);
}

export function createWecomStandIn(state = new WecomState()): Server {
  return createServer((req, res) => {
    route(state, req, res).catch((err: unknown) => reply(res, { error: String(err) }, 500));
  });
}
