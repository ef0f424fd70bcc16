import type { ObjectMeta } from './business-resolve.js';

/**
 * For the business-mapping tests: an object of a pod's owner chain as the resolver reads it, in namespace
 * `prod-pay` unless it is the Namespace itself (which has none).
 */
export const objectMeta = (
  kind: string,
  name: string,
  labels: Record<string, string> = {},
  annotations: Record<string, string> = {},
): ObjectMeta => ({
  kind,
  ...(kind === 'Namespace' ? {} : { namespace: 'prod-pay' }),
  name,
  labels,
  annotations,
});
