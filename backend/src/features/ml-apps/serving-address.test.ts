import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../core/errors.js';
import { judgeAddress, predictorOrigin } from './serving-address.js';

const STRICT = { allowLoopback: false };
const SANDBOX = { allowLoopback: true };
const keyOf = (raw: string, rules = STRICT) => {
  const judged = judgeAddress(raw, 'team-a', rules);
  return 'origin' in judged ? judged.origin : judged.refusal.key;
};

describe('serving-address: where a test request may go', () => {
  it("accepts a service's cluster-local address in its own namespace, http or https on the default port", () => {
    assert.equal(
      keyOf('http://iris-predictor.team-a.svc.cluster.local'),
      'http://iris-predictor.team-a.svc.cluster.local',
    );
    assert.equal(keyOf('http://iris.team-a.svc'), 'http://iris.team-a.svc');
    assert.equal(keyOf('https://iris.team-a.svc:443/'), 'https://iris.team-a.svc');
    assert.equal(keyOf('http://iris.team-a.svc:80'), 'http://iris.team-a.svc');
    assert.equal(keyOf('HTTP://Iris.Team-A.SVC.cluster.local'), 'http://iris.team-a.svc.cluster.local');
    // The path is dropped: the request path is ours (the inference protocol's).
    assert.equal(keyOf('http://iris.team-a.svc/../../admin?x=1#y'), 'http://iris.team-a.svc');
  });

  it('refuses other namespaces, naming the one the address points at', () => {
    const judged = judgeAddress('http://kube-dns.kube-system.svc.cluster.local', 'team-a', STRICT);
    assert.ok('refusal' in judged);
    assert.equal(judged.refusal.key, 'ML_APPS_SERVING_URL_NAMESPACE');
    assert.equal(judged.refusal.params.other, 'kube-system');
    assert.equal(keyOf('http://kubernetes.default.svc'), 'ML_APPS_SERVING_URL_NAMESPACE');
    // A namespace that merely starts like ours is another one.
    assert.equal(keyOf('http://x.team-a-prod.svc'), 'ML_APPS_SERVING_URL_NAMESPACE');
  });

  it('refuses IP literals in every spelling the URL parser accepts, loopback and metadata addresses included', () => {
    for (const raw of [
      'http://169.254.169.254/latest/meta-data',
      'http://10.96.0.1',
      'http://127.0.0.1:8080',
      'http://2130706433', // 127.0.0.1 as one number
      'http://0x7f.1', // and in hex
      'http://[::1]',
      'http://[fd00::1]',
      'http://[::ffff:169.254.169.254]',
    ]) {
      assert.equal(keyOf(raw), 'ML_APPS_SERVING_URL_IP', raw);
    }
  });

  it('refuses host names that are not a service of the namespace, and look-alikes', () => {
    for (const raw of [
      'http://localhost',
      'http://iris.team-a.example.com', // KServe's external URL: not cluster-local
      'http://iris.team-a.svc.cluster.local.evil.example',
      'http://iris.team-a.svc.evil.example',
      'http://team-a.svc.cluster.local', // no service label
      'http://a.b.team-a.svc.cluster.local', // more labels than <svc>.<ns>
      'http://iris.team-a.svc.cluster.local.', // a trailing dot is another name
      'http://iris.team-a.svc.other.local',
      'http://metadata.google.internal',
    ]) {
      assert.equal(keyOf(raw), 'ML_APPS_SERVING_URL_NOT_LOCAL', raw);
    }
  });

  it("refuses user info (whose part before '@' could make the host look like ours) without echoing it", () => {
    const judged = judgeAddress('http://iris.team-a.svc:secret@169.254.169.254', 'team-a', STRICT);
    assert.ok('refusal' in judged);
    assert.equal(judged.refusal.key, 'ML_APPS_SERVING_URL_USERINFO');
    assert.ok(!JSON.stringify(judged.refusal.params).includes('secret'));
    assert.equal(keyOf('http://user@iris.team-a.svc'), 'ML_APPS_SERVING_URL_USERINFO');
    // A backslash ends the host for http(s) (WHATWG): what follows is path. An encoded '@' is no URL at all.
    assert.equal(keyOf('http://169.254.169.254\\@iris.team-a.svc'), 'ML_APPS_SERVING_URL_IP');
    assert.equal(keyOf('http://169.254.169.254%40iris.team-a.svc'), 'ML_APPS_SERVING_URL_NOT_HTTP');
  });

  it('refuses ports other than the scheme default', () => {
    assert.equal(keyOf('http://iris.team-a.svc:8080'), 'ML_APPS_SERVING_URL_PORT');
    assert.equal(keyOf('https://iris.team-a.svc:80'), 'ML_APPS_SERVING_URL_PORT');
    assert.equal(keyOf('http://iris.team-a.svc:443'), 'ML_APPS_SERVING_URL_PORT');
  });

  it('refuses other schemes and what is no URL at all', () => {
    for (const raw of [
      'file:///etc/passwd',
      'gopher://iris.team-a.svc',
      'ftp://iris.team-a.svc',
      'iris.team-a.svc',
      '',
    ]) {
      assert.equal(keyOf(raw), 'ML_APPS_SERVING_URL_NOT_HTTP', raw);
    }
  });

  it('accepts loopback on any port only when the setting allows it (the sandbox), and still nothing else', () => {
    assert.equal(keyOf('http://127.0.0.1:39123', SANDBOX), 'http://127.0.0.1:39123');
    assert.equal(keyOf('http://localhost:39123', SANDBOX), 'http://localhost:39123');
    assert.equal(keyOf('http://[::1]:39123', SANDBOX), 'http://[::1]:39123');
    assert.equal(keyOf('http://127.0.0.1:39123', STRICT), 'ML_APPS_SERVING_URL_IP');
    assert.equal(keyOf('http://169.254.169.254', SANDBOX), 'ML_APPS_SERVING_URL_IP');
    assert.equal(keyOf('http://127.0.0.2', SANDBOX), 'ML_APPS_SERVING_URL_IP');
    assert.equal(keyOf('http://u:p@127.0.0.1:39123', SANDBOX), 'ML_APPS_SERVING_URL_USERINFO');
  });
});

describe('serving-address: the origin of a service', () => {
  const refused = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      assert.ok(err instanceof AppError);
      return err;
    }
    assert.fail('expected a refusal');
  };

  it("prefers the cluster-local status.address.url over KServe's external status.url", () => {
    const status = {
      url: 'http://iris.team-a.example.com',
      address: { url: 'http://iris-predictor.team-a.svc.cluster.local' },
    };
    assert.equal(
      predictorOrigin('iris', 'team-a', status, STRICT),
      'http://iris-predictor.team-a.svc.cluster.local',
    );
    assert.equal(
      predictorOrigin('iris', 'team-a', { url: 'http://iris.team-a.svc' }, STRICT),
      'http://iris.team-a.svc',
    );
  });

  it('is a 409 naming why when no address is acceptable, and when there is none yet', () => {
    const err = refused(() =>
      predictorOrigin(
        'iris',
        'team-a',
        { url: 'http://169.254.169.254', address: { url: 'http://x.other.svc' } },
        STRICT,
      ),
    );
    assert.equal(err.statusCode, 409);
    assert.equal(err.key, 'ML_APPS_SERVING_URL_NAMESPACE');
    assert.equal(err.params.other, 'other');
    assert.equal(refused(() => predictorOrigin('iris', 'team-a', {}, STRICT)).key, 'ML_APPS_SERVING_NO_URL');
    assert.equal(
      refused(() => predictorOrigin('iris', 'team-a', undefined, STRICT)).key,
      'ML_APPS_SERVING_NO_URL',
    );
  });
});
