// Certificates and keys for the control plane, made with the openssl command line:
// a CA, kube-apiserver's serving certificate for 127.0.0.1, and the service-account signing key.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Pki {
  caCert: string;
  caKey: string;
  apiserverCert: string;
  apiserverKey: string;
  serviceAccountKey: string;
  serviceAccountPub: string;
}

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

export function createPki(dir: string): Pki {
  mkdirSync(dir, { recursive: true });
  const file = (name: string) => join(dir, name);
  const pki: Pki = {
    caCert: file('ca.crt'),
    caKey: file('ca.key'),
    apiserverCert: file('apiserver.crt'),
    apiserverKey: file('apiserver.key'),
    serviceAccountKey: file('sa.key'),
    serviceAccountPub: file('sa.pub'),
  };
  openssl(
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', pki.caKey, '-out', pki.caCert].concat([
      '-days',
      '30',
      '-subj',
      '/CN=ks-gpu-ml-sandbox-ca',
    ]),
  );
  const ext = file('apiserver.ext');
  writeFileSync(
    ext,
    'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,' +
      'DNS:kubernetes.default.svc,IP:10.96.0.1\nextendedKeyUsage=serverAuth\n',
  );
  const csr = file('apiserver.csr');
  openssl([
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    pki.apiserverKey,
    '-out',
    csr,
    '-subj',
    '/CN=kube-apiserver',
  ]);
  openssl(
    ['x509', '-req', '-in', csr, '-CA', pki.caCert, '-CAkey', pki.caKey, '-CAcreateserial'].concat([
      '-out',
      pki.apiserverCert,
      '-days',
      '30',
      '-extfile',
      ext,
    ]),
  );
  openssl(['genrsa', '-out', pki.serviceAccountKey, '2048']);
  openssl(['rsa', '-in', pki.serviceAccountKey, '-pubout', '-out', pki.serviceAccountPub]);
  return pki;
}
