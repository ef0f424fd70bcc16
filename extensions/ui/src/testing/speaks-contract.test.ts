// The feature extensions call our API only through the UI kit's typed client (docs/adr/0024): a route spec names
// the URL and types the reply. A path written by hand, or a reply type handed to a fetching hook, would be a second
// statement of the contract that can drift from it, so neither may appear in a feature's shipped source.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { EXTENSIONS_DIR, shippedSources } from './shipped-sources.js';

const BY_HAND: readonly [RegExp, string][] = [
  [/['"`/]kapis\//, 'writes an API path by hand'],
  [/\b(useQuery|useApi|getJson|useGet)<(?!ReplyOf)/, 'types a reply by hand'],
];

function statedByHand(source: string): string[] {
  return BY_HAND.filter(([pattern]) => pattern.test(source)).map(([, what]) => what);
}

test('a hand-written path or reply type is caught', () => {
  assert.deepEqual(statedByHand('const p = `${prefix}/kapis/gpu-quota.ks-gpu-ml.io/v1alpha1/gpuquotas`;'), [
    'writes an API path by hand',
  ]);
  assert.deepEqual(statedByHand('useQuery<ProjectGpuQuota, ApiError>(key, load)'), ['types a reply by hand']);
  assert.deepEqual(statedByHand('useRoute(routes.getProjectQuota, { params: { namespace } })'), []);
});

test('no feature extension restates the contract: paths and reply types come from the route specs', () => {
  // The UI kit is where the typed client is implemented (and KubeSphere's own APIs, which have no spec of ours).
  const sources = shippedSources((extension) => extension !== 'ui');
  assert.ok(sources.length > 10, `found the feature extensions' sources (${sources.length})`);
  const offenders = sources.flatMap((path) =>
    statedByHand(readFileSync(path, 'utf8')).map((what) => `${relative(EXTENSIONS_DIR, path)} ${what}`),
  );
  assert.deepEqual(offenders, []);
});
