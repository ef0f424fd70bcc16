// Connections the backend keeps open between requests. Node's global agent closes a connection idle for 5 s, and
// client-node builds a new agent, so a new TCP and TLS connection, for every request: at a dashboard's pace most
// requests paid a handshake. 30 s is under the idle timeouts of the servers we call (kube-apiserver 90 s,
// Prometheus 5 min) and of common proxies, so a kept connection is not closed under a request.
import http from 'node:http';
import https from 'node:https';

export const IDLE_SOCKET_MS = 30_000;
const KEEP_ALIVE = { keepAlive: true, timeout: IDLE_SOCKET_MS };

/** Agents for an axios instance. */
export const keepAliveAgents = () => ({
  httpAgent: new http.Agent(KEEP_ALIVE),
  httpsAgent: new https.Agent(KEEP_ALIVE),
});

/** The TLS settings that make two agents interchangeable. */
const TLS_KEYS = ['ca', 'cert', 'key', 'pfx', 'passphrase', 'servername', 'rejectUnauthorized'] as const;

/**
 * Swaps the agent a client built for one request for a kept-alive agent with the same TLS settings. The client's
 * agent is read each time, so a rotated CA or client certificate (files re-read per request) gets a new agent
 * rather than the one built at start. Only plain Node agents are swapped; proxy agents are the client's own.
 */
export function createAgentReuse(): (built: http.Agent | undefined) => http.Agent | undefined {
  let kept: { fingerprint: string; agent: http.Agent } | undefined;
  return (built) => {
    const isHttps = built?.constructor === https.Agent;
    if (!built || (!isHttps && built.constructor !== http.Agent)) return built;
    const options = (built as https.Agent).options;
    const fingerprint = [isHttps, ...TLS_KEYS.map((k) => String(options[k] ?? ''))].join('\u0000');
    if (kept?.fingerprint !== fingerprint) {
      const keep = { ...options, ...KEEP_ALIVE };
      kept = { fingerprint, agent: isHttps ? new https.Agent(keep) : new http.Agent(keep) };
    }
    return kept.agent;
  };
}
