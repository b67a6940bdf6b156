import * as assert from 'node:assert/strict';
import { RequestCounter, routeShape } from '../../../emulator/http/requestCounter';

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('RequestCounter', () => {
  it('counts per listener and per route shape, test controls excluded', () => {
    const counter = new RequestCounter();
    counter.count('registry', 'HEAD', '/v2/samples/many-tags/manifests/t0001');
    counter.count('registry', 'HEAD', '/v2/samples/hello/manifests/1.0');
    counter.count('registry', 'GET', `/v2/samples/hello/referrers/${DIGEST}?artifactType=x`);
    counter.count('arm', 'GET', '/subscriptions?api-version=2022-12-01');
    counter.count('registry', 'POST', '/_emulator/faults');
    assert.deepEqual(counter.snapshot(), {
      total: 4,
      registry: 3,
      arm: 1,
      byRoute: { 'HEAD /v2/…/manifests/…': 2, 'GET /v2/…/referrers/…': 1, 'GET /subscriptions': 1 },
    });
  });

  it('starts again from zero after reset, and a snapshot does not change afterwards', () => {
    const counter = new RequestCounter();
    counter.count('registry', 'GET', '/v2/');
    const before = counter.snapshot();
    counter.reset();
    counter.count('arm', 'GET', '/tenants');
    assert.equal(before.total, 1);
    assert.deepEqual(counter.snapshot(), { total: 1, registry: 0, arm: 1, byRoute: { 'GET /tenants': 1 } });
  });

  it('folds names, digests and ids out of ACR and ARM routes', () => {
    assert.equal(routeShape('GET', `/acr/v1/team/app/_streaming/${DIGEST}`), 'GET /acr/v1/…/_streaming/…');
    assert.equal(routeShape('GET', '/acr/v1/team/app/_operations/abc'), 'GET /acr/v1/…/_operations/…');
    assert.equal(routeShape('GET', '/acr/v1/team/app/_tags?n=100'), 'GET /acr/v1/…/_tags');
    assert.equal(routeShape('GET', '/acr/v1/_catalog'), 'GET /acr/v1/_catalog');
    assert.equal(routeShape('GET', '/acr/v1/team/app'), 'GET /acr/v1/…');
    assert.equal(
      routeShape('GET', '/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/demo'),
      'GET /subscriptions/{id}/resourceGroups/{name}/providers/Microsoft.ContainerRegistry/registries/{name}',
    );
  });
});
