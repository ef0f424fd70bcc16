import type { ReceiverInput } from '@ks-gpu-ml/contracts';
import type { Channel } from '../../clients/channels/channel.js';
import { buildChannel, unavailableChannel, type ChannelProviders } from '../../clients/channels/factory.js';
import { SecretForbidden, type SecretData, type SecretReader } from '../../clients/kube-secrets.js';
import type { ConfigStore } from '../../clients/store/alert-config.js';
import type { FieldIssue } from './receivers.js';

/**
 * The outbox's receiver reference (`<workspace>/<name>` or `<name>` for the cluster's) → the receiver's channel
 * (docs/adr/0037). The receiver is read from the store and the Secrets it references from Kubernetes, by name; the
 * channel built over them is cached, bounded in bytes (maxBytes), and looked at again every `recheckMs`: a receiver edited
 * (updatedAt) or a Secret changed (resourceVersion) gets a new channel. A receiver that cannot be built (a Secret
 * or key missing, a Secret of another workspace, the backend not allowed to read it) gets a channel whose sends
 * fail naming that, so the delivery trail shows the receiver's error; a receiver deleted gets none (the outbox
 * dead-letters its rows, naming it).
 */
export interface ReceiverChannelsDeps {
  receivers: Pick<ConfigStore<ReceiverInput>, 'get'>;
  secrets: SecretReader;
  /** namespace → workspace: a workspace's receiver may use Secrets in its own namespaces, or ones granted to it. */
  workspaceOf(): Promise<ReadonlyMap<string, string>>;
  /** The platform's providers; a new object (a rotated key file) rebuilds the channels. */
  providers: () => ChannelProviders;
  recheckMs?: number;
  /**
   * What the cached channels may hold, estimated in bytes (default 4 MiB): each entry counts its receiver (recipients,
   * settings), the Secret values it was built with, its version key and a fixed part for the channel's own state
   * (ENTRY_OVERHEAD_BYTES). Bytes, not a count: a receiver with 100 recipients weighs 100 times one with one.
   */
  maxBytes?: number;
  now?: () => number;
}

export interface ReceiverChannels {
  channelFor(ref: string): Promise<Channel | undefined>;
  /** How many channels are cached. */
  size(): number;
  /** Their estimated bytes (bounded by maxBytes). */
  bytes(): number;
}

/** The channel's own state besides what it was built from: closures, a robot's minute window, an app's token. */
export const ENTRY_OVERHEAD_BYTES = 4_096;

interface Entry {
  channel: Channel;
  /** Estimated (see maxBytes). */
  bytes: number;
  /** The receiver's updatedAt and its Secrets' resourceVersions: a change in either rebuilds the channel. */
  version: string;
  providers: ChannelProviders;
  checkedAt: number;
}

export type ResolvedSecrets =
  { version: string; values: Map<string, string> } | { version: string; problem: Channel };

/**
 * A Secret outside a workspace's projects (e.g. in the extension's namespace, where platform admins keep receivers'
 * keys, ADR 0036) is usable by the workspaces its annotation lists, comma-separated: the platform admin who made it
 * says whose it is, so one workspace cannot have the backend use another's key.
 */
export const WORKSPACES_ANNOTATION = 'cmdb-alerting.ks-gpu-ml.io/workspaces';

const grants = (secret: SecretData | undefined, workspace: string): boolean =>
  (secret?.annotations[WORKSPACES_ANNOTATION] ?? '')
    .split(',')
    .map((w) => w.trim())
    .includes(workspace);

/**
 * At create and update (docs/adr/0044): the Secret references of a workspace's receiver that it may not use — in no
 * project of the workspace, and not granted to it by the annotation (absent, unreadable and not granted look alike:
 * whether another namespace holds a Secret is not the workspace's business). The cluster's receivers may name any
 * Secret the backend may read. A Secret in one of the workspace's own projects may be created later.
 */
export function secretScopeChecker(deps: Pick<ReceiverChannelsDeps, 'secrets' | 'workspaceOf'>) {
  return async (owner: string, spec: Pick<ReceiverInput, 'secretRefs'>): Promise<FieldIssue[]> => {
    const refs = Object.entries(spec.secretRefs);
    if (!owner || refs.length === 0) return [];
    const workspaces = await deps.workspaceOf();
    const issues: FieldIssue[] = [];
    for (const [field, ref] of refs) {
      if (workspaces.get(ref.namespace) === owner) continue;
      let secret: SecretData | undefined;
      try {
        secret = await deps.secrets.read(ref.namespace, ref.name);
      } catch (err) {
        if (!(err instanceof SecretForbidden)) throw err;
      }
      if (!grants(secret, owner))
        issues.push({
          field: `body.secretRefs.${field}`,
          problem: `Secret ${ref.namespace}/${ref.name} is neither in a project of workspace ${owner} nor annotated ${WORKSPACES_ANNOTATION} with it`,
        });
    }
    return issues;
  };
}

/** An entry's estimated bytes: what its channel was built from, plus the channel's own state. */
export function entryBytes(ref: string, spec: ReceiverInput, secrets: ResolvedSecrets): number {
  let bytes = ENTRY_OVERHEAD_BYTES + Buffer.byteLength(ref) + Buffer.byteLength(secrets.version);
  bytes += Buffer.byteLength(JSON.stringify(spec));
  if ('values' in secrets) for (const value of secrets.values.values()) bytes += Buffer.byteLength(value);
  return bytes;
}

export const splitReceiverRef = (ref: string): { owner: string; name: string } => {
  const slash = ref.indexOf('/');
  return slash < 0 ? { owner: '', name: ref } : { owner: ref.slice(0, slash), name: ref.slice(slash + 1) };
};

/**
 * The values of the Secret keys a receiver references, read by name and checked against its workspace's scope; or,
 * when one cannot be used, a channel whose sends fail naming why. Also what the WeCom reply callback reads its
 * Token and EncodingAESKey with (docs/adr/0047).
 */
export async function resolveReceiverSecrets(
  deps: Pick<ReceiverChannelsDeps, 'secrets' | 'workspaceOf'>,
  owner: string,
  spec: ReceiverInput,
  updatedAt: number,
): Promise<ResolvedSecrets> {
  const refs = Object.entries(spec.secretRefs);
  const problem = (reason: string, detail: string) => unavailableChannel(spec.type, reason, detail);
  const workspaces = owner && refs.length > 0 ? await deps.workspaceOf() : undefined;
  const read = new Map<string, SecretData | undefined>();
  const values = new Map<string, string>();
  const versions: string[] = [`${updatedAt}`];
  for (const [field, ref] of refs) {
    const id = `${ref.namespace}/${ref.name}`;
    if (!read.has(id)) {
      try {
        read.set(id, await deps.secrets.read(ref.namespace, ref.name));
      } catch (err) {
        if (!(err instanceof SecretForbidden)) throw err;
        return {
          version: versions.join(' '),
          problem: problem('CMDB_ALERTING_RECEIVER_SECRET_UNREADABLE', err.message),
        };
      }
      versions.push(`${id}@${read.get(id)?.resourceVersion ?? 'absent'}`);
    }
    const secret = read.get(id);
    // Absent or not granted look the same to a workspace: whether another namespace has a Secret is not its business.
    if (workspaces && workspaces.get(ref.namespace) !== owner && !grants(secret, owner))
      return {
        version: versions.join(' '),
        problem: problem(
          'CMDB_ALERTING_RECEIVER_SECRET_FORBIDDEN',
          `Secret ${id} is neither in a project of workspace ${owner} nor annotated ${WORKSPACES_ANNOTATION} with it (${field})`,
        ),
      };
    const value = secret?.data.get(ref.key);
    if (!secret || value === undefined || value === '')
      return {
        version: versions.join(' '),
        problem: problem(
          'CMDB_ALERTING_RECEIVER_SECRET_MISSING',
          secret
            ? `Secret ${id} has no key "${ref.key}" (${field})`
            : `Secret ${id} does not exist (${field})`,
        ),
      };
    values.set(field, value);
  }
  return { version: versions.join(' '), values };
}

export function createReceiverChannels(deps: ReceiverChannelsDeps): ReceiverChannels {
  const recheckMs = deps.recheckMs ?? 5_000;
  const maxBytes = deps.maxBytes ?? 4 * 1024 * 1024;
  let totalBytes = 0;
  const now = deps.now ?? Date.now;
  // A Map keeps insertion order: re-inserting on use makes the first key the least recently used.
  const cache = new Map<string, Entry>();

  function forget(ref: string): void {
    const entry = cache.get(ref);
    if (!entry) return;
    totalBytes -= entry.bytes;
    cache.delete(ref);
  }

  /** Most recently used last; the least recently used go until the rest fit (the newest one always stays). */
  function remember(ref: string, entry: Entry): Channel {
    forget(ref);
    cache.set(ref, entry);
    totalBytes += entry.bytes;
    while (totalBytes > maxBytes && cache.size > 1) forget(cache.keys().next().value as string);
    return entry.channel;
  }

  async function channelFor(ref: string): Promise<Channel | undefined> {
    const at = now();
    const cached = cache.get(ref);
    if (cached && at - cached.checkedAt < recheckMs) return remember(ref, cached);
    const { owner, name } = splitReceiverRef(ref);
    let resolved: { spec: ReceiverInput; secrets: ResolvedSecrets } | undefined;
    try {
      const row = await deps.receivers.get(owner, name);
      if (!row) {
        forget(ref);
        return undefined;
      }
      resolved = {
        spec: row.spec,
        secrets: await resolveReceiverSecrets(deps, owner, row.spec, row.updatedAt),
      };
    } catch (err) {
      // The store or the apiserver is unavailable: keep the channel we have, else let the caller wait.
      if (cached) return remember(ref, { ...cached, checkedAt: at });
      throw err;
    }
    const { spec, secrets } = resolved;
    const providers = deps.providers();
    if (cached && cached.version === secrets.version && cached.providers === providers)
      return remember(ref, { ...cached, checkedAt: at });
    const channel = 'problem' in secrets ? secrets.problem : buildChannel(spec, secrets.values, providers);
    const bytes = entryBytes(ref, spec, secrets);
    return remember(ref, { channel, bytes, version: secrets.version, providers, checkedAt: at });
  }

  return { channelFor, size: () => cache.size, bytes: () => totalBytes };
}
