// Runs test files in lanes side by side and reports them as ONE node:test run: node's spec reporter, one
// summary (the counts of every lane added up), failures listed at the end, exit status 1 if any lane failed.
// Why: `all` used to run every file one after another, so the CPU-bound unit tests waited behind the
// integration tests, which spend minutes waiting on real Prometheus rule evaluations. Within a lane files
// still run one at a time (integration tests share one sandbox); a lane may run at a lower CPU priority so
// the browser tests in the other lane keep their speed. Each file's events are held until the file ends,
// so the output reads file by file as in a single run.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { spec } from 'node:test/reporters';

const reporter = new URL('./test-lane-reporter.mjs', import.meta.url).pathname;
/** Seconds each file took in its lane, written to TEST_TIMES (a path) when set: where the run's time goes. */
const fileTimes = [];
const SUMMARY = /^(tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) ([\d.]+)$/;

/** Rebuilds the errors test-lane-reporter.mjs wrote as data (JSON.parse revives inner causes first). */
function reviveErrors(_key, value) {
  if (!value || typeof value !== 'object' || value.__error !== true) return value;
  const { __error, message, stack, ...own } = value;
  const error = new Error(message);
  Object.assign(error, own);
  error.stack = stack;
  return error;
}

/** One lane: a node --test child whose events arrive as JSON lines; yields each file's events as one block. */
async function* laneBlocks({ files, nodeArgs, cwd, priority = 0 }, exits) {
  const child = spawn(
    process.execPath,
    [...nodeArgs, '--test', '--test-concurrency=1', `--test-reporter=${reporter}`, ...files],
    { cwd, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  // Its test files are spawned later by the child, so they inherit this priority.
  if (priority) setPriority(child.pid, priority);
  exits.push(new Promise((resolve) => child.on('close', (code) => resolve(code ?? 1))));
  let block = [];
  let fileStarted = performance.now();
  for await (const line of createInterface({ input: child.stdout })) {
    if (!line) continue;
    const event = JSON.parse(line, reviveErrors);
    block.push(event);
    const { data } = event;
    const fileEnded = event.type === 'test:complete' && data?.nesting === 0 && data.name === data.file;
    if (fileEnded) {
      fileTimes.push([(performance.now() - fileStarted) / 1000, data.file]);
      fileStarted = performance.now();
      yield block;
      block = [];
    }
  }
  if (block.length) yield block;
}

/** Interleaves the lanes' blocks as they complete. */
async function* merge(sources) {
  const pending = new Map(sources.map((it, i) => [i, it.next().then((r) => ({ i, r }))]));
  while (pending.size) {
    const { i, r } = await Promise.race(pending.values());
    if (r.done) {
      pending.delete(i);
      continue;
    }
    yield r.value;
    pending.set(
      i,
      sources[i].next().then((next) => ({ i, r: next })),
    );
  }
}

/** Every event of every lane, their end-of-run summaries replaced by one added-up summary. */
async function* events(lanes, exits, started) {
  const totals = new Map(
    ['tests', 'suites', 'pass', 'fail', 'cancelled', 'skipped', 'todo'].map((k) => [k, 0]),
  );
  for await (const block of merge(lanes.map((lane) => laneBlocks(lane, exits)))) {
    for (const event of block) {
      const summary =
        event.type === 'test:diagnostic' && !event.data.file && SUMMARY.exec(event.data.message);
      if (summary) totals.set(summary[1], (totals.get(summary[1]) ?? 0) + Number(summary[2]));
      else if (!(event.type === 'test:plan' && !event.data.file)) yield event;
    }
  }
  totals.set('duration_ms', performance.now() - started);
  for (const [name, value] of totals) {
    yield { type: 'test:diagnostic', data: { nesting: 0, message: `${name} ${value}` } };
  }
}

/** Runs the lanes; resolves with the exit status (0 only when every lane passed). */
export async function runLanes(lanes) {
  const exits = [];
  const output = Readable.from(events(lanes, exits, performance.now())).compose(new spec());
  output.pipe(process.stdout);
  await new Promise((resolve, reject) => output.on('end', resolve).on('error', reject));
  const codes = await Promise.all(exits);
  if (process.env.TEST_TIMES) {
    const lines = fileTimes.sort((a, b) => b[0] - a[0]).map(([s, f]) => `${s.toFixed(1)}\t${f}`);
    writeFileSync(process.env.TEST_TIMES, lines.join('\n') + '\n');
  }
  return codes.every((code) => code === 0) ? 0 : 1;
}
