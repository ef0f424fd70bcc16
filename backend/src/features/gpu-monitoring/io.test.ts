import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AxiosError } from 'axios';
import type { WorkspaceMembership } from '../../clients/workspace-membership.js';
import type { PrometheusClient } from '../../clients/prometheus.js';
import { UpstreamError } from '../../clients/upstream.js';
import { createMonitoringIo, prometheusError, SCHEME_TTL_MS } from './io.js';
import { SCHEME_PROBE_QUERY } from './labels.js';

describe('prometheusError', () => {
  it('says "unreachable" when no answer came; names the URL, without credentials, to admins only', () => {
    const refused = new UpstreamError('Prometheus', new AxiosError('connect ECONNREFUSED', 'ECONNREFUSED'));
    const err = prometheusError('http://u:secret@prom:9090', refused);
    assert.equal(err.statusCode, 502);
    assert.equal(err.key, 'BACKEND_METRICS_UNREACHABLE');
    assert.deepEqual(err.details, { upstream: 'Prometheus' });
    assert.equal(err.forAdmins?.key, 'GPU_MONITORING_PROMETHEUS_UNREACHABLE');
    assert.deepEqual(err.forAdmins?.params, { url: 'http://prom:9090' });
  });

  it('says "answered with an error" when Prometheus refused the query', () => {
    const err = prometheusError('http://prom:9090', new UpstreamError('Prometheus', new Error('HTTP 422')));
    assert.equal(err.key, 'BACKEND_METRICS_ERROR');
    assert.equal(err.forAdmins?.key, 'GPU_MONITORING_PROMETHEUS_ERROR');
    assert.equal(err.forAdmins?.params.url, 'http://prom:9090');
  });
});

describe('label scheme probe', () => {
  it('probes once per TTL, re-probes after it, and does not remember a failure', async () => {
    let clock = 0;
    let probes = 0;
    let fail = false;
    const prometheus: PrometheusClient = {
      baseUrl: 'http://prom:9090',
      async query(promql) {
        assert.equal(promql, SCHEME_PROBE_QUERY);
        probes++;
        if (fail) throw new UpstreamError('Prometheus', new Error('HTTP 503'));
        const hostname = probes > 1 ? 8 : 0;
        return {
          resultType: 'vector',
          result: [
            { metric: { probe: 'devices' }, value: [0, '8'] },
            { metric: { probe: hostname ? 'hostname' : 'Hostname' }, value: [0, '8'] },
          ],
        };
      },
      queryRange: () => Promise.reject(new Error('not used')),
    };
    const io = createMonitoringIo(prometheus, {} as WorkspaceMembership, { now: () => clock });
    assert.equal((await io.scheme()).hostLabel, 'Hostname');
    clock += SCHEME_TTL_MS;
    assert.equal((await io.scheme()).hostLabel, 'Hostname', 'still within the TTL');
    assert.equal(probes, 1);
    clock += 1;
    assert.equal((await io.scheme()).hostLabel, 'hostname', 'an exporter upgrade is seen after the TTL');
    clock += SCHEME_TTL_MS + 1;
    fail = true;
    await assert.rejects(io.scheme(), (err: UpstreamError) => err.key === 'BACKEND_METRICS_ERROR');
    fail = false;
    assert.equal((await io.scheme()).hostLabel, 'hostname', 'the failed probe was not cached');
    assert.equal(probes, 4);
  });
});
