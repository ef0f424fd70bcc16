// Opening a notebook, up to the proxy (docs/adr/0046): through the backend process, as ks-apiserver's ReverseProxy
// passes it on (the path unchanged, the caller's bearer token), a project member's page load, upload and kernel
// WebSocket reach the notebook's Jupyter — here a loopback STAND-IN (stand-in-jupyter.ts), named by the test-only
// setting ML_APPS_NOTEBOOK_STAND_IN_ORIGIN, since KWOK's pods run nothing. The notebook itself is real (made through
// our API in the sandbox's apiserver, its readiness written as Kubeflow's controller would).
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, describe, it } from 'node:test';
import { notebookOpenPath } from '@ks-gpu-ml/contracts';
import { sandboxUser } from '../../sandbox/src/env.js';
import { webSocketHandshake, writeStatus } from '../../sandbox/src/testing.js';
import { type BackendProcess } from '../backend/backend-process.js';
import { useMlAppsBackend } from './ml-apps-backend.js';
import { readTextFrame, startStandInJupyter, textFrame, type StandInJupyter } from './stand-in-jupyter.js';

const NS = 'alpha-train';
const NAME = `open-${Date.now().toString(36)}`;
const PREFIX = notebookOpenPath(NS, NAME);
const NOTEBOOK = { group: 'kubeflow.org', version: 'v1', plural: 'notebooks', namespace: NS, name: NAME };

let jupyter: StandInJupyter;
const run = useMlAppsBackend(
  async () => {
    jupyter = await startStandInJupyter();
  },
  () => ({ ML_APPS_NOTEBOOK_STAND_IN_ORIGIN: jupyter.origin }),
);
// Closed only after the backend has stopped (this hook runs after useMlAppsBackend's), so a tunnel still open at
// the stop is the backend's to end.
after(() => jupyter.close());
const api = run.resource('notebooks');
const alice = sandboxUser('alice').token;

/** A request as ks-apiserver's ReverseProxy forwards it: the caller's token and the console's cookies. */
const proxied = (path: string, token: string | undefined, init: RequestInit = {}) =>
  fetch(run.process.url + path, {
    ...init,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      cookie: `token=${token ?? ''}; _xsrf=abc`,
      ...(init.headers as Record<string, string> | undefined),
    },
  });

/** A WebSocket handshake (and, when it is accepted, one text frame) over a raw socket, as a browser sends it. */
async function webSocket(
  backend: BackendProcess,
  path: string,
  token: string | undefined,
  keepOpen = false,
): Promise<{ status: number; head: string; echo?: string }> {
  const { hostname, port } = new URL(backend.url);
  const socket = webSocketHandshake(hostname, Number(port), path, token);
  let data = Buffer.alloc(0);
  try {
    return await new Promise((resolve, reject) => {
      let head: string | undefined;
      let status = 0;
      socket.on('error', reject);
      socket.on('close', () =>
        head ? resolve({ status, head }) : reject(new Error('closed before an answer')),
      );
      socket.on('data', (chunk: Buffer) => {
        data = Buffer.concat([data, chunk]);
        if (head === undefined) {
          const end = data.indexOf('\r\n\r\n');
          if (end < 0) return;
          head = data.subarray(0, end).toString();
          status = Number(head.split(' ')[1]);
          data = data.subarray(end + 4);
          if (status !== 101) return; // the error body follows; the backend closes the socket after it
          socket.write(textFrame('{"msg_type":"kernel_info_request"}', true));
        }
        if (status === 101) {
          const echo = readTextFrame(data);
          if (echo !== undefined) resolve({ status, head, echo });
        }
      });
    });
  } finally {
    if (!keepOpen) socket.destroy();
  }
}

describe('opening a notebook through the proxy', () => {
  it('a running notebook made here lists where it opens', async () => {
    const created = await api(
      'POST',
      NS,
      '',
      {
        name: NAME,
        image: 'sandbox.local/jupyter:1',
        cpu: 0.5,
        memory: '1Gi',
        workspaceVolume: { kind: 'none' },
      },
      alice,
    );
    assert.equal(created.status, 200, JSON.stringify(created.body));
    run.cleanups.push(async () => void (await api('DELETE', NS, `/${NAME}`)));
    await writeStatus(NOTEBOOK, { readyReplicas: 1 });
    const listed = await api('GET', NS, '', undefined, alice);
    const mine = (listed.body.items as { name: string; openPath?: string }[]).find((n) => n.name === NAME);
    assert.equal(mine?.openPath, `${PREFIX}/`);
  });

  it("a project member's page load reaches Jupyter with the path unchanged and no KubeSphere credential", async () => {
    const seen = jupyter.requests.length;
    const res = await proxied(`${PREFIX}/lab?reset`, alice, { headers: { 'x-remote-user': 'alice' } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-stand-in'), 'jupyter');
    assert.match(res.headers.get('set-cookie') ?? '', /_xsrf=stand-in/);
    assert.equal(await res.text(), `<html>stand-in jupyter at ${PREFIX}/lab?reset</html>`);
    const got = jupyter.requests.slice(seen);
    assert.equal(got.length, 1);
    assert.equal(got[0]!.url, `${PREFIX}/lab?reset`);
    assert.equal(got[0]!.headers.authorization, undefined);
    assert.equal(got[0]!.headers['x-remote-user'], undefined);
    assert.equal(got[0]!.headers.cookie, '_xsrf=abc');
  });

  it("the notebook's cookie stays under its own path; the client's X-Forwarded-* do not reach Jupyter", async () => {
    const seen = jupyter.requests.length;
    const res = await proxied(`${PREFIX}/tree`, alice, {
      headers: { 'x-forwarded-host': 'evil.example', 'x-forwarded-for': '10.9.9.9' },
    });
    assert.equal(res.status, 200);
    // The stand-in sets `_xsrf=stand-in; Path=/`: at the console's origin, Path=/ would reach every console page.
    assert.equal(res.headers.get('set-cookie'), `_xsrf=stand-in; Path=${PREFIX}/`);
    const got = jupyter.requests.slice(seen);
    assert.equal(got[0]?.headers['x-forwarded-host'], undefined);
    assert.equal(got[0]?.headers['x-forwarded-for'], undefined);
  });

  it('an upload reaches Jupyter whole', async () => {
    const body = JSON.stringify({ content: 'x'.repeat(200_000), format: 'text', type: 'file' });
    const res = await proxied(`${PREFIX}/api/contents/big.txt`, alice, {
      method: 'PUT',
      body,
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(res.status, 201);
    assert.deepEqual(await res.json(), { bodyBytes: Buffer.byteLength(body) });
  });

  it("a project member's kernel WebSocket is tunnelled both ways", async () => {
    const seen = jupyter.requests.length;
    const ws = await webSocket(run.process, `${PREFIX}/api/kernels/k1/channels?session_id=s`, alice);
    assert.equal(ws.status, 101, ws.head);
    assert.equal(ws.echo, 'echo:{"msg_type":"kernel_info_request"}');
    const got = jupyter.requests.slice(seen);
    assert.equal(got[0]?.method, 'UPGRADE');
    assert.equal(got[0]?.url, `${PREFIX}/api/kernels/k1/channels?session_id=s`);
    assert.equal(got[0]?.headers.authorization, undefined);
  });

  it('a kernel WebSocket left open does not hold up the shutdown (the stop after these tests must exit 0)', async () => {
    const ws = await webSocket(run.process, `${PREFIX}/api/kernels/k2/channels`, alice, true);
    assert.equal(ws.echo, 'echo:{"msg_type":"kernel_info_request"}');
  });

  it('refuses a member of another project, a project viewer (opening runs code) and no token, before Jupyter', async () => {
    const seen = jupyter.requests.length;
    for (const user of ['bob', 'viewer']) {
      const token = sandboxUser(user).token;
      assert.equal((await proxied(`${PREFIX}/lab`, token)).status, 403, user);
      assert.equal(
        (await webSocket(run.process, `${PREFIX}/api/kernels/k1/channels`, token)).status,
        403,
        user,
      );
    }
    assert.equal((await proxied(`${PREFIX}/lab`, undefined)).status, 401);
    assert.equal((await webSocket(run.process, `${PREFIX}/api/kernels/k1/channels`, undefined)).status, 401);
    assert.equal(jupyter.requests.length, seen, 'nothing reached the notebook');
  });

  it('refuses a path that leaves the notebook, even one a client did not resolve', async () => {
    // fetch and URL strings resolve `%2e%2e` (WHATWG URL); a path option is sent as written, as a hostile client would.
    const raw = (path: string) =>
      new Promise<number>((resolve, reject) => {
        const { hostname, port } = new URL(run.process.url);
        const headers = { authorization: `Bearer ${alice}` };
        const req = request({ hostname, port, path, headers }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject).end();
      });
    const seen = jupyter.requests.length;
    assert.equal(await raw(`${PREFIX}/%2e%2e/%2e%2e/beta-research/x/lab`), 400);
    assert.equal(await raw(`${PREFIX}/..%2F..%2Fbeta-research%2Fx/lab`), 400);
    assert.equal(jupyter.requests.length, seen, 'nothing reached the notebook');
  });

  it('a stopped notebook answers 409 saying it is stopped', async () => {
    const stopped = await api('PATCH', NS, `/${NAME}`, { stopped: true }, alice);
    assert.equal(stopped.status, 200, JSON.stringify(stopped.body));
    const seen = jupyter.requests.length;
    const res = await proxied(`${PREFIX}/lab`, alice, { headers: { 'accept-language': 'en' } });
    assert.equal(res.status, 409);
    const body = (await res.json()) as { reason: string; message: string; details: { stopped?: boolean } };
    assert.equal(body.reason, 'Conflict');
    assert.equal(body.details.stopped, true);
    assert.match(body.message, /is stopped: start it, then open it/);
    assert.equal((await webSocket(run.process, `${PREFIX}/api/kernels/k1/channels`, alice)).status, 409);
    assert.equal(jupyter.requests.length, seen, 'nothing reached the notebook');
  });
});
