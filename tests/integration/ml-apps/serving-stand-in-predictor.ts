// STAND-IN for a KServe model server (no KServe controller or runtime image runs in the sandbox): a loopback HTTP
// server speaking the two inference protocols' documented request and answer shapes, so the backend's test-request
// route has a real predictor to reach. V1 (KServe "v1" / TF-Serving style): POST /v1/models/<m>:predict with
// {"instances": [...]} answers {"predictions": [...]}. V2 (Open Inference Protocol): POST /v2/models/<m>/infer with
// {"inputs": [{name, shape, datatype, data}]} answers {model_name, id, outputs: [{name, shape, datatype, data}]}.
// Its "model" predicts, per instance (a list of numbers), the index of the largest value — enough to check that the
// body went through and the answer came back. A wrong body is a 400 {"error": "..."} as the model servers answer.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandInPredictor {
  /** `http://127.0.0.1:<port>`: what a test writes as the InferenceService's status.url. */
  url: string;
  /** The requests it received (path and parsed body), oldest first. */
  requests: { path: string; body: unknown }[];
  close(): Promise<void>;
}

const argmax = (row: unknown): number => {
  if (!Array.isArray(row) || row.length === 0 || !row.every((v) => typeof v === 'number')) return -1;
  return row.reduce((best: number, v: number, i: number) => (v > (row[best] as number) ? i : best), 0);
};

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
}

export async function startStandInPredictor(): Promise<StandInPredictor> {
  const requests: StandInPredictor['requests'] = [];
  let seq = 0;
  const server = createServer((req, res) => {
    void (async () => {
      const path = req.url ?? '';
      let body: unknown;
      try {
        body = await readJson(req);
      } catch {
        return send(res, 400, { error: 'request body is not JSON' });
      }
      requests.push({ path, body });
      const v1 = /^\/v1\/models\/([^/:]+):predict$/.exec(path);
      const v2 = /^\/v2\/models\/([^/]+)\/infer$/.exec(path);
      if (req.method !== 'POST' || (!v1 && !v2))
        return send(res, 404, { error: `no route ${req.method} ${path}` });
      if (v1) {
        const instances = (body as { instances?: unknown } | null)?.instances;
        if (!Array.isArray(instances)) return send(res, 400, { error: 'Expected "instances" to be a list' });
        return send(res, 200, { predictions: instances.map(argmax) });
      }
      const inputs = (body as { inputs?: { name?: string; shape?: number[]; data?: unknown[] }[] } | null)
        ?.inputs;
      if (!Array.isArray(inputs) || inputs.length === 0) {
        return send(res, 400, { error: 'Expected "inputs" to be a non-empty list of tensors' });
      }
      const first = inputs[0]!;
      const width = first.shape?.[1] ?? first.data?.length ?? 0;
      const flat = first.data ?? [];
      const rows =
        width > 0
          ? Array.from({ length: flat.length / width }, (_, i) => flat.slice(i * width, (i + 1) * width))
          : [];
      const data = rows.map(argmax);
      return send(res, 200, {
        model_name: v2![1],
        id: String(++seq),
        outputs: [{ name: 'output-0', shape: [data.length], datatype: 'INT64', data }],
      });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
