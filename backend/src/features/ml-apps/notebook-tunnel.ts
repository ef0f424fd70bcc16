// A notebook's kernel WebSocket stays open as long as its browser tab (hours), while the guard authorized only its
// handshake (docs/adr/0046). Without asking again, a tunnel would outlive a revoked permission (a member removed from
// the project, a token that expired) by as long as the tab stays open, far beyond the authorization cache's TTL.
import type { Duplex } from 'node:stream';

/**
 * How often an open tunnel's caller is asked again. The authorizer answers from its cache while a decision holds
 * (AUTHZ_CACHE_TTL_MS, 10 s by default), so this costs a review only as often as the page's own requests would; a
 * revoked permission ends the tunnel within the cache's TTL plus this.
 */
export const TUNNEL_RECHECK_MS = 5_000;

/**
 * Ends `socket` once `stillAllowed` answers false or fails (an answer we cannot get is a refusal), asking every
 * `everyMs` until the socket closes. JupyterLab reconnects a closed kernel WebSocket, through the guard.
 */
export function keepTunnelAuthorized(
  socket: Duplex,
  stillAllowed: () => Promise<boolean>,
  onRefused: (why: 'refused' | 'unanswered') => void,
  everyMs = TUNNEL_RECHECK_MS,
): void {
  let asking = false;
  const end = (why: 'refused' | 'unanswered') => {
    if (socket.destroyed) return;
    onRefused(why);
    socket.destroy();
  };
  const timer = setInterval(() => {
    if (asking) return;
    asking = true;
    stillAllowed()
      .then(
        (allowed) => allowed || end('refused'),
        () => end('unanswered'),
      )
      .finally(() => (asking = false));
  }, everyMs);
  // Not unref()ed: the tunnel holds the process anyway, and its close (at the latest the shutdown) clears it.
  socket.once('close', () => clearInterval(timer));
}
