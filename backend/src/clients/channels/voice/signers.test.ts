import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { aliyunRpcSignature, basicAuthorization, tc3Authorization } from './signers.js';

describe('voice provider signatures against the providers documented examples', () => {
  it('Alibaba Cloud RPC signature v1: the DescribeRegions example (testid / testsecret)', () => {
    const params = {
      Timestamp: '2016-02-23T12:46:24Z',
      Format: 'XML',
      AccessKeyId: 'testid',
      Action: 'DescribeRegions',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
      Version: '2014-05-26',
      SignatureVersion: '1.0',
    };
    assert.equal(aliyunRpcSignature('GET', params, 'testsecret'), 'OLeaidS1JvxuMvnyHOwuJ+uX5qY=');
  });

  it('Tencent Cloud TC3-HMAC-SHA256: the CVM DescribeInstances example (timestamp 1551113065)', () => {
    const authorization = tc3Authorization({
      secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE',
      secretKey: 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE',
      service: 'cvm',
      host: 'cvm.tencentcloudapi.com',
      timestamp: 1551113065,
      payload: '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}',
    });
    assert.equal(
      authorization,
      'TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, ' +
        'SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168',
    );
  });

  it('Twilio: HTTP Basic over AccountSid:AuthToken', () => {
    assert.equal(
      basicAuthorization('AC123', 'token'),
      'Basic ' + Buffer.from('AC123:token').toString('base64'),
    );
  });
});
