// A chart loads its own series: it asks the contract's series route for the picked metric, level and the page's
// time range, shows only the highest series when there are more than it draws (and says so), and asks again when
// the picker changes the metric.
import '@ks-gpu-ml/ui/testing/dom';
import React from 'react';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { gpuMonitoringRoutes, type GpuSeries } from '@ks-gpu-ml/contracts';
import { ok, type Call } from '@ks-gpu-ml/ui/testing/contract-server';
import { serveEachTest } from '@ks-gpu-ml/ui/testing/each-test';
import { renderPart } from '@ks-gpu-ml/ui/testing/render';
import { locales } from '../locales.js';
import { MetricChart, MetricPanel } from './MetricChart.js';

const route = gpuMonitoringRoutes.getProjectSeries;
const where = { scope: 'namespace', namespace: 'team-a' } as const;
const time = { range: '6h', now: Date.UTC(2026, 0, 1, 12) } as const;

/** One series per pod, pod-i at a steady i (so pod-3 is the highest). */
function podSeries({ query }: Call, pods: number): GpuSeries {
  const start = Number(query.get('start'));
  return {
    metric: query.get('metric') as GpuSeries['metric'],
    level: 'workload',
    start,
    end: Number(query.get('end')),
    step: 60,
    series: Array.from({ length: pods }, (_, i) => ({
      labels: { namespace: 'team-a', pod: `pod-${i + 1}` },
      points: [[start, i + 1] as [number, number]],
    })),
  };
}

const server = serveEachTest(locales, (s) => s.on(route, (call) => ok(podSeries(call, 3))));

test("it asks for the metric, level and the page's range, and says when it shows only the highest series", async () => {
  renderPart(
    <MetricChart
      where={where}
      metric="powerWatts"
      level="workload"
      time={time}
      filter={{ pod: 'p' }}
      maxSeries={2}
    />,
  );
  await screen.findByText('Showing the 2 highest of 3 series.');
  const [call] = server.callsTo(route);
  assert.equal(call?.params.namespace, 'team-a');
  assert.equal(call?.query.get('metric'), 'powerWatts');
  assert.equal(call?.query.get('level'), 'workload');
  assert.equal(call?.query.get('pod'), 'p');
  const [start, end] = [Number(call?.query.get('start')), Number(call?.query.get('end'))];
  assert.equal(end - start, 6 * 3600);
  assert.ok(end <= time.now / 1000 && end > time.now / 1000 - 3600, `end ${end} is at the page's clock`);
});

test('the panel starts on utilization and asks again for the metric picked', async () => {
  renderPart(<MetricPanel title="Per workload" where={where} level="workload" time={time} />);
  await waitFor(() => assert.equal(server.callsTo(route).length, 1));
  assert.equal(server.callsTo(route)[0]?.query.get('metric'), 'utilization');
  assert.equal(screen.queryByText(/highest of/), null, 'all 3 series are drawn');
  fireEvent.change(screen.getByLabelText('Figure'), { target: { value: 'temperatureC' } });
  await waitFor(() => assert.equal(server.callsTo(route).length, 2));
  assert.equal(server.callsTo(route)[1]?.query.get('metric'), 'temperatureC');
});
