// Where a test request may go. The InferenceService's status is written by whoever may write it — KServe's
// controller, but also a tenant with `update` on `inferenceservices/status` — so its URLs are untrusted: taken as
// they are, they would let a project member make the backend POST anywhere it reaches (the cluster's other
// namespaces, the cloud's metadata address, the apiserver). We therefore accept only the cluster-local address
// of a Service in the service's own namespace (`<svc>.<namespace>.svc[.cluster.local]`, http or https on the
// scheme's default port, no user info), and build the request URL from its origin ourselves. The loopback
// stand-in predictor of the sandbox is accepted only when the operator turned `allowLoopback` on (default off).
// Decision: docs/adr/0040-model-registry-and-kserve-serving.md.
import { AppError } from '../../core/errors.js';

export interface AddressRules {
  /** ML_APPS_SERVING_ALLOW_LOOPBACK: 127.0.0.1, [::1] and localhost on any port (the sandbox's stand-in). */
  allowLoopback: boolean;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** Why an address is refused: the message key and its parameters (never the URL's user info). */
export type Refusal = { key: string; params: Record<string, string> };

/**
 * The origin (`http://x.ns.svc`) a test request of a service in `namespace` may be sent to, or why not. Pure: the
 * URL is judged as written; nothing is resolved.
 */
export function judgeAddress(
  raw: string,
  namespace: string,
  rules: AddressRules,
): { origin: string } | { refusal: Refusal } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { refusal: { key: 'ML_APPS_SERVING_URL_NOT_HTTP', params: { host: '' } } };
  }
  const host = url.hostname;
  const refuse = (key: string) => ({ refusal: { key, params: { host, namespace } } });
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return refuse('ML_APPS_SERVING_URL_NOT_HTTP');
  if (url.username !== '' || url.password !== '') return refuse('ML_APPS_SERVING_URL_USERINFO');
  if (rules.allowLoopback && LOOPBACK.has(host)) return { origin: url.origin };
  // The WHATWG parser writes every IPv4 spelling (hex, one number, …) as dotted decimal and IPv6 in brackets.
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host) || host.startsWith('[')) return refuse('ML_APPS_SERVING_URL_IP');
  // The WHATWG parser drops a scheme's default port, so any port left is another one.
  if (url.port !== '') return refuse('ML_APPS_SERVING_URL_PORT');
  const labels = host.split('.');
  const svcAt =
    labels.at(-1) === 'svc'
      ? labels.length - 1
      : labels.slice(-3).join('.') === 'svc.cluster.local'
        ? labels.length - 3
        : -1;
  if (svcAt !== 2 || !labels.slice(0, 2).every((l) => DNS_LABEL.test(l))) {
    return refuse('ML_APPS_SERVING_URL_NOT_LOCAL');
  }
  if (labels[1] !== namespace) {
    return {
      refusal: { key: 'ML_APPS_SERVING_URL_NAMESPACE', params: { host, namespace, other: labels[1]! } },
    };
  }
  return { origin: url.origin };
}

/**
 * The origin to send a service's test request to: its cluster-local `status.address.url` when acceptable, else
 * its `status.url` when that is; a 409 naming why the first one given was refused otherwise.
 */
export function predictorOrigin(
  name: string,
  namespace: string,
  status: { url?: string; address?: { url?: string } } | undefined,
  rules: AddressRules,
): string {
  const candidates = [status?.address?.url, status?.url].filter((u): u is string => !!u);
  if (candidates.length === 0) {
    throw new AppError(409, 'Conflict', 'ML_APPS_SERVING_NO_URL', { name }, { name });
  }
  let first: Refusal | undefined;
  for (const candidate of candidates) {
    const judged = judgeAddress(candidate, namespace, rules);
    if ('origin' in judged) return judged.origin;
    first ??= judged.refusal;
  }
  const params = { name, ...first!.params };
  throw new AppError(409, 'Conflict', first!.key, params, params);
}
