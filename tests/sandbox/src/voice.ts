// Starts the voice provider stand-ins (tests/sandbox/stand-ins/voice): Alibaba Cloud VMS, Tencent Cloud VMS and
// Twilio, unreachable from here. Their credentials are made per sandbox and written to a file only tests read.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { layout, repoRoot } from './layout.js';
import { assertRunning, startProcess } from './processes.js';
import { httpOk, waitFor } from './wait.js';

export interface VoiceStandIns {
  url: string;
  credentialsFile: string;
}

const secret = () => randomBytes(16).toString('hex');

export async function startVoiceStandIns(port: number): Promise<VoiceStandIns> {
  mkdirSync(layout.config, { recursive: true });
  const credentialsFile = join(layout.config, 'voice-credentials.json');
  const credentials = {
    aliyun: { accessKeyId: 'LTAI' + secret().slice(0, 12), accessKeySecret: secret() },
    tencent: { secretId: 'AKID' + secret(), secretKey: secret() },
    twilio: { accountSid: 'AC' + secret(), authToken: secret() },
  };
  writeFileSync(credentialsFile, JSON.stringify(credentials, null, 2) + '\n', { mode: 0o600 });
  const url = `http://127.0.0.1:${port}`;
  const record = startProcess(
    'voice-stand-ins',
    process.execPath,
    [
      '--import',
      'tsx',
      join(repoRoot, 'tests/sandbox/stand-ins/voice/main.ts'),
      '--port',
      String(port),
      '--credentials',
      credentialsFile,
    ],
    { url, cwd: repoRoot },
  );
  await waitFor(
    'voice provider stand-ins /healthz',
    async () => (assertRunning(record), httpOk(`${url}/healthz`)),
  );
  return { url, credentialsFile };
}
