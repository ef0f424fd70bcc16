// What every voice stand-in shares: the fault switch the control endpoint sets, and the record of what it received.
export type Fault = 'none' | 'rate-limit' | 'invalid-key' | 'timeout' | '500';
export const FAULTS: readonly Fault[] = ['none', 'rate-limit', 'invalid-key', 'timeout', '500'];

export interface Received {
  at: string;
  /** The request's parameters as the provider reads them (without the signature). */
  params: Record<string, unknown>;
  /** What the stand-in answered: `placed`, or the fault or error it answered with. */
  answered: string;
}

export interface ProviderState {
  fault: Fault;
  /**
   * Faults for one callee only, so a test can make a provider fail for its own number while tests running beside
   * it in the shared sandbox still reach that provider. Bounded like `received`.
   */
  calleeFaults: Map<string, Fault>;
  received: Received[];
  /** Calls placed per callee, for the per-callee limits (Aliyun: 1 a minute). */
  callsByCallee: Map<string, number[]>;
}

export const newState = (): ProviderState => ({
  fault: 'none',
  calleeFaults: new Map(),
  received: [],
  callsByCallee: new Map(),
});

const MAX_CALLEE_FAULTS = 100;

/** A mainland number as any provider gets it: Aliyun without +86, Tencent and Twilio in E.164. */
const calleeKey = (callee: string) => callee.replace(/^\+86/, '');

/** Switches a fault for the whole provider, or for one callee (`none` removes the callee's). */
export function switchFault(state: ProviderState, fault: Fault, callee?: string): void {
  if (callee === undefined) {
    state.fault = fault;
    return;
  }
  state.calleeFaults.delete(calleeKey(callee));
  if (fault !== 'none') state.calleeFaults.set(calleeKey(callee), fault);
  if (state.calleeFaults.size > MAX_CALLEE_FAULTS)
    state.calleeFaults.delete(state.calleeFaults.keys().next().value!);
}

/** The fault this request meets: its callee's own, else the provider's. */
export const faultFor = (state: ProviderState, callee: unknown): Fault =>
  (typeof callee === 'string' ? state.calleeFaults.get(calleeKey(callee)) : undefined) ?? state.fault;

const MAX_RECEIVED = 500;

export function record(state: ProviderState, params: Record<string, unknown>, answered: string): void {
  state.received.push({ at: new Date().toISOString(), params, answered });
  if (state.received.length > MAX_RECEIVED) state.received.shift();
}

/** True when the callee already had `limit` calls within `windowMs` (and records this call otherwise). */
export function overCalleeLimit(
  state: ProviderState,
  callee: string,
  limit: number,
  windowMs: number,
): boolean {
  const now = Date.now();
  const recent = (state.callsByCallee.get(callee) ?? []).filter((t) => now - t < windowMs);
  if (recent.length >= limit) return true;
  state.callsByCallee.set(callee, [...recent, now]);
  return false;
}
