import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkBearerToken } from './bearer-token.js';

describe('checkBearerToken', () => {
  it('accepts the configured token, whatever the scheme’s case', () => {
    assert.equal(checkBearerToken('Bearer s3cret', 's3cret'), 'ok');
    assert.equal(checkBearerToken('bearer s3cret', 's3cret'), 'ok');
  });

  it('refuses a wrong token, a prefix of it and a longer one', () => {
    assert.equal(checkBearerToken('Bearer s3cre', 's3cret'), 'wrong');
    assert.equal(checkBearerToken('Bearer s3cret2', 's3cret'), 'wrong');
    assert.equal(checkBearerToken('Bearer other', 's3cret'), 'wrong');
  });

  it('tells a missing or malformed header from a wrong token', () => {
    assert.equal(checkBearerToken(undefined, 's3cret'), 'missing');
    assert.equal(checkBearerToken('', 's3cret'), 'missing');
    assert.equal(checkBearerToken('Basic czNjcmV0', 's3cret'), 'missing');
    assert.equal(checkBearerToken('Bearer ', 's3cret'), 'missing');
  });

  it('refuses everyone when no token is configured', () => {
    assert.equal(checkBearerToken('Bearer anything', undefined), 'unconfigured');
  });
});
