// Twilio Calls stand-in: form-encoded POST /2010-04-01/Accounts/{Sid}/Calls.json with HTTP Basic auth, 201 with a
// queued call, errors as Twilio's JSON (code, message, more_info, status); GET .../Calls/{CallSid}.json reads the
// call back, completed once placed.
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { faultFor, record, type ProviderState } from './state.js';

export interface TwilioCredentials {
  accountSid: string;
  authToken: string;
}

type Reply = { status: number; body: Record<string, unknown> } | 'hang';

const error = (status: number, code: number, message: string): Reply => ({
  status,
  body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
});

const calls = new Map<string, Record<string, unknown>>();

export function twilioStandIn(
  state: ProviderState,
  key: TwilioCredentials,
  method: string,
  path: string,
  headers: IncomingHttpHeaders,
  body: string,
): Reply {
  const params = Object.fromEntries(new URLSearchParams(body));
  const fault = faultFor(state, params.To);
  if (fault === 'timeout') return (record(state, params, 'timeout'), 'hang');
  if (fault === '500') return (record(state, params, '500'), error(500, 20500, 'Internal Server Error'));
  const expected = 'Basic ' + Buffer.from(`${key.accountSid}:${key.authToken}`).toString('base64');
  if (fault === 'invalid-key' || headers.authorization !== expected) {
    return (record(state, params, '20003'), error(401, 20003, 'Authenticate'));
  }
  const match = /^\/2010-04-01\/Accounts\/([^/]+)\/Calls(?:\/([^/]+))?\.json$/.exec(path);
  if (!match || match[1] !== key.accountSid) return error(404, 20404, 'The requested resource was not found');
  if (method === 'GET' && match[2]) {
    const call = calls.get(match[2]);
    return call
      ? { status: 200, body: { ...call, status: 'completed' } }
      : error(404, 20404, 'The requested resource was not found');
  }
  if (method !== 'POST' || match[2]) return error(405, 20004, 'Method not allowed');
  if (fault === 'rate-limit') return (record(state, params, '20429'), error(429, 20429, 'Too Many Requests'));
  if (!params.To || !params.From || !(params.Url || params.Twiml)) {
    return (record(state, params, '21205'), error(400, 21205, 'To, From and Url or Twiml are required'));
  }
  const sid = 'CA' + randomBytes(16).toString('hex');
  const call = { sid, account_sid: key.accountSid, to: params.To, from: params.From, status: 'queued' };
  calls.set(sid, call);
  // Bounded: the oldest call is forgotten first (a Map iterates in insertion order).
  if (calls.size > 1000) calls.delete(calls.keys().next().value!);
  record(state, params, 'placed');
  return { status: 201, body: call };
}
