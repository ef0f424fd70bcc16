// The shipped rule file: promtool accepts it and its unit tests pass, and it agrees with queries.ts on
// the accounting interval the GPU-hours arithmetic depends on. Unit test: promtool only, no server.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { ACCOUNTING_INTERVAL_SECONDS, gpuHoursQueries } from './queries.js';
import * as recordedTs from './recorded.js';
import { DCGM_RULES_INTERVAL_SECONDS, RECORDED, RECORDED_BY_MODEL, RECORDED_IDLE } from './recorded.js';

const rulesDir = fileURLToPath(new URL('../../../../charts/gpu-monitoring/rules/', import.meta.url));
const ruleFile = join(rulesDir, 'gpu.rules.yaml');
const testsDir = join(rulesDir, 'tests');
const testFiles = readdirSync(testsDir)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => join(testsDir, f));
const promtool = process.env.PROMTOOL ?? '/usr/bin/promtool';

function run(args: string[]): { status: number | null; output: string } {
  const r = spawnSync(promtool, args, { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

interface RuleFile {
  groups: { name: string; interval?: string; rules: { record?: string; alert?: string; expr: string }[] }[];
}
const rules = parse(readFileSync(ruleFile, 'utf8')) as RuleFile;

/** The strings in a value, however deeply nested: recorded.ts's series names (its numbers are not names). */
const seriesNames = (value: unknown): string[] =>
  typeof value === 'string'
    ? [value]
    : typeof value === 'object' && value !== null
      ? Object.values(value).flatMap(seriesNames)
      : [];

describe('gpu.rules.yaml', { skip: !existsSync(promtool) && `${promtool} not installed` }, () => {
  it('passes promtool check rules', () => {
    const r = run(['check', 'rules', ruleFile]);
    assert.equal(r.status, 0, r.output);
    assert.match(r.output, /SUCCESS: \d+ rules found/);
  });

  it('passes its promtool unit tests', () => {
    assert.ok(testFiles.length > 0);
    const r = run(['test', 'rules', ...testFiles]);
    assert.equal(r.status, 0, r.output);
    assert.doesNotMatch(r.output, /FAILED/);
  });
});

describe('gpu.rules.yaml and queries.ts agree', () => {
  it('the accounting group is evaluated every ACCOUNTING_INTERVAL_SECONDS and records what the report reads', () => {
    const accounting = rules.groups.find((g) => g.rules.some((r) => r.record === RECORDED.gpuRequested));
    assert.ok(accounting, `${RECORDED.gpuRequested} is recorded`);
    assert.equal(accounting.interval, `${ACCOUNTING_INTERVAL_SECONDS / 60}m`);
    assert.ok(accounting.rules.some((r) => r.record === RECORDED.gpuUtilized));
  });

  it('the promtool GPU-hours test evaluates the exact query gpuHoursQueries() builds', () => {
    const text = testFiles.map((f) => readFileSync(f, 'utf8')).join('\n');
    const { allocated } = gpuHoursQueries('namespace', { startSeconds: 0, endSeconds: 90 * 60 });
    assert.ok(text.includes(`expr: '${allocated}'`), allocated);
  });

  it('the promtool by-app and by-user tests evaluate the exact queries gpuHoursQueries() builds', () => {
    const text = testFiles.map((f) => readFileSync(f, 'utf8')).join('\n');
    const range = { startSeconds: 0, endSeconds: 90 * 60 };
    const byApp = gpuHoursQueries('app', range);
    assert.ok(text.includes(`expr: '${byApp.allocated}'`), byApp.allocated);
    assert.ok(text.includes(`expr: '${byApp.utilized}'`), byApp.utilized);
    const byUser = gpuHoursQueries('user', range).allocated;
    assert.ok(text.includes(`expr: '${byUser}'`), byUser);
  });

  it('records every series recorded.ts names', () => {
    const recorded = new Set(rules.groups.flatMap((g) => g.rules.map((r) => r.record)));
    // Every string recorded.ts exports, however deep, so a table added there later is checked without a word here.
    const names = seriesNames(recordedTs);
    assert.ok(names.includes(RECORDED.idleAllocated), 'a top-level name');
    assert.ok(names.includes('node:dcgm_gpus:count'), 'a name nested by level');
    for (const name of names) assert.ok(recorded.has(name), `${name} is recorded`);
  });

  it('the dcgm group is evaluated every DCGM_RULES_INTERVAL_SECONDS', () => {
    const dcgm = rules.groups.find((g) => g.rules.some((r) => r.record === RECORDED.idleAllocated));
    assert.equal(dcgm?.interval, `${DCGM_RULES_INTERVAL_SECONDS}s`);
  });

  it('the idle-allocated rule defines idle as RECORDED_IDLE says (queries read it only then)', () => {
    const rule = rules.groups.flatMap((g) => g.rules).find((r) => r.record === RECORDED.idleAllocated);
    const window = `${RECORDED_IDLE.windowSeconds / 60}m`;
    assert.match(
      rule!.expr,
      new RegExp(`max_over_time\\([^)]*\\[${window}\\]\\) < ${RECORDED_IDLE.threshold}\\)`),
    );
    assert.match(rule!.expr, new RegExp(`offset ${window}\\b`));
    assert.ok(RECORDED.idleAllocated.endsWith(`:max${window}`));
    const busy = rules.groups.flatMap((g) => g.rules).find((r) => r.record === RECORDED_BY_MODEL.busy);
    assert.match(busy!.expr, new RegExp(`>= ${RECORDED_IDLE.threshold}\\)`));
  });

  it('names follow level:metric:operations', () => {
    for (const group of rules.groups) {
      for (const rule of group.rules) {
        if (rule.record) assert.match(rule.record, /^[a-z_]+:[a-z_]+:[a-z0-9_]+$/, rule.record);
      }
    }
  });
});
