// The CMDB stand-in's memory: the estate, the credentials it accepts, the faults tests switch on per API
// (bk-cmdb, netbox, generic), and how many requests each API answered (so a test sees the cache at work).
import { generateEstate, type Estate, type EstateSystem } from './estate.js';

export const targets = ['bk-cmdb', 'netbox', 'generic'] as const;
export type Target = (typeof targets)[number];
export const faults = ['down', 'timeout', 'slow', 'server-error', 'malformed', 'wrong-shape'] as const;
export type Fault = (typeof faults)[number];

export interface Credentials {
  bk: { appCode: string; appSecret: string };
  /** NetBox v1 token (`Authorization: Token <t>`) and v2 token (`Bearer nbt_<key>.<token>`). */
  netboxToken: string;
  netboxV2: string;
  genericToken: string;
}

export const standInCredentials: Credentials = {
  bk: { appCode: 'ks-cmdb-alerting', appSecret: 'stand-in-bk-secret' },
  netboxToken: 'stand-in-netbox-token-0123456789abcdef01234567',
  netboxV2: 'nbt_standin.0123456789abcdef',
  genericToken: 'stand-in-generic-token',
};

export class CmdbState {
  readonly faults = new Map<Target, Fault>();
  readonly requests: Record<Target, number> = { 'bk-cmdb': 0, netbox: 0, generic: 0 };
  slowMs = 1_500;
  constructor(
    readonly estate: Estate = generateEstate(),
    readonly credentials: Credentials = standInCredentials,
  ) {}

  systemByNamespace(namespace: string): EstateSystem | undefined {
    return this.estate.systems.find((s) => s.namespaces.includes(namespace));
  }

  /**
   * Adds (or replaces, by name) a system: tests map their own namespaces, and give its owner a number of their own
   * when they check calls to it (calls to one shared number would meet each other's per-callee limits).
   */
  upsertSystem({
    mobile,
    ...input
  }: {
    name: string;
    importance: EstateSystem['importance'];
    namespaces: string[];
    mobile?: string;
  }): EstateSystem {
    const existing = this.estate.systems.find((s) => s.name === input.name);
    if (existing) {
      existing.importance = input.importance;
      existing.namespaces = input.namespaces;
      if (mobile)
        for (const contact of existing.contacts) if (contact.role === 'owner') contact.mobile = mobile;
      return existing;
    }
    const maxContact = Math.max(0, ...this.estate.systems.flatMap((s) => s.contacts.map((c) => c.id)));
    const system: EstateSystem = {
      id: Math.max(0, ...this.estate.systems.map((s) => s.id)) + 1,
      ...input,
      contacts: [
        {
          id: maxContact + 1,
          name: `${input.name}-owner`,
          role: 'owner',
          priority: 'primary',
          wecomUserId: `${input.name}-owner`,
          mobile: mobile ?? '+8613900000001',
          email: `${input.name}-owner@example.com`,
        },
      ],
    };
    this.estate.systems.push(system);
    return system;
  }
}
