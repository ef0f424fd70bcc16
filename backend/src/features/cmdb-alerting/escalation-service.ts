import type { AlertEscalation } from '@ks-gpu-ml/contracts';
import { AppError } from '../../core/errors.js';
import { pickLanguage, type Translate } from '../../core/i18n.js';
import { verifyAckToken } from './ack-link.js';
import type { EscalationEngine } from './escalation.js';

/**
 * What the routes ask of the escalation: an alert's state, an acknowledgement by the signed-in user, and the
 * page a signed link answers (docs/adr/0031).
 */
export interface AckPage {
  status: number;
  html: string;
}

export interface EscalationService {
  view(alertKey: string): Promise<AlertEscalation>;
  acknowledgeAs(alertKey: string, user: string): Promise<AlertEscalation>;
  /** The same for a workspace's members: only alerts the workspace's own policy escalates (else 404). */
  viewIn(workspace: string, alertKey: string): Promise<AlertEscalation>;
  acknowledgeIn(workspace: string, alertKey: string, user: string): Promise<AlertEscalation>;
  ackPage(token: string, acceptLanguage: string | undefined): Promise<AckPage>;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function createEscalationService(deps: {
  engine: EscalationEngine;
  translate: Translate;
  /** The link-signing key, re-read on rotation; undefined when ALERT_ACK_KEY_FILE is unset. */
  ackKey: () => Buffer | undefined;
  now?: () => number;
}): EscalationService {
  const now = deps.now ?? Date.now;
  const notFound = (alertKey: string) =>
    new AppError(404, 'NotFound', 'CMDB_ALERTING_ESCALATION_NOT_FOUND', { alertKey });
  async function view(alertKey: string) {
    const found = await deps.engine.view(alertKey);
    if (!found) throw notFound(alertKey);
    return found;
  }
  async function acknowledgeAs(alertKey: string, user: string) {
    const outcome = await deps.engine.acknowledge(alertKey, user, 'console');
    if (outcome === 'unknown') throw notFound(alertKey);
    if (outcome === 'again')
      throw new AppError(409, 'Conflict', 'CMDB_ALERTING_ACK_USED', { person: user, alertKey });
    return view(alertKey);
  }
  /** Another workspace's alert is answered as if it did not exist: its key tells nothing. */
  async function viewIn(workspace: string, alertKey: string) {
    const found = await deps.engine.view(alertKey);
    if (!found || found.workspace !== workspace) throw notFound(alertKey);
    return found;
  }
  return {
    view,
    acknowledgeAs,
    viewIn,
    async acknowledgeIn(workspace, alertKey, user) {
      await viewIn(workspace, alertKey);
      return acknowledgeAs(alertKey, user);
    },
    async ackPage(token, acceptLanguage) {
      const lang = pickLanguage(acceptLanguage);
      const page = (status: number, key: string, params: Record<string, unknown> = {}): AckPage => {
        const title = escapeHtml(deps.translate(lang, 'CMDB_ALERTING_ACK_TITLE'));
        const text = escapeHtml(deps.translate(lang, key, params));
        return {
          status,
          html: `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${title}</title></head><body><h1>${title}</h1><p>${text}</p></body></html>`,
        };
      };
      const key = deps.ackKey();
      if (!key) return page(503, 'CMDB_ALERTING_ACK_UNCONFIGURED');
      const verdict = verifyAckToken(key, token, now());
      if (!verdict.ok && verdict.reason === 'forged') return page(400, 'CMDB_ALERTING_ACK_FORGED');
      if (!verdict.ok)
        return page(410, 'CMDB_ALERTING_ACK_EXPIRED', {
          expiredAt: new Date(verdict.claim.expiresAt * 1000).toISOString(),
        });
      const { alertKey, person } = verdict.claim;
      const outcome = await deps.engine.acknowledge(alertKey, person, 'link');
      if (outcome === 'unknown') return page(404, 'CMDB_ALERTING_ESCALATION_NOT_FOUND', { alertKey });
      if (outcome === 'again') return page(409, 'CMDB_ALERTING_ACK_USED', { person, alertKey });
      const state = (await deps.engine.view(alertKey))?.state;
      return page(200, state === 'acknowledged' ? 'CMDB_ALERTING_ACK_DONE' : 'CMDB_ALERTING_ACK_PENDING', {
        person,
        alertKey,
      });
    },
  };
}
