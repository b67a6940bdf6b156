/** The emulator's paging and ignore-artifact-type fault rules, as a client sees them on the wire. */
import assert from 'node:assert/strict';
import { call } from './support/acrCalls';
import { startTestEmulator } from './support/emulatorFixture';
import { pushImage, pushSignature, type Pushed } from './support/registryPush';

const TAGS = '/acr/v1/pages/app/_tags';

describe('emulator: paging fault rules', function () {
  this.timeout(30_000);
  let emu: Awaited<ReturnType<typeof startTestEmulator>>;
  let image: Pushed;

  before(async () => {
    emu = await startTestEmulator({ conversionBytesPerSecond: 0 });
    image = await pushImage(emu, 'pages/app', 'v1', { layerSizes: [100] });
    await pushImage(emu, 'pages/app', 'v2', { layerSizes: [100] });
    await pushImage(emu, 'pages/app', 'v3', { layerSizes: [100] });
  });
  after(async () => {
    await emu?.stop();
  });
  afterEach(() => emu.clearFaults());

  const linkOf = async (path: string) => (await call(emu, 'GET', path)).headers.get('link');

  it('sends the real Link without a rule', async () => {
    assert.equal(await linkOf(`${TAGS}?n=1`), `<${TAGS}?last=v1&n=1>; rel="next"`);
  });

  it('repeat: the Link points to the page just read', async () => {
    emu.setFaults([{ kind: 'paging', mode: 'repeat' }]);
    assert.equal(await linkOf(`${TAGS}?n=1`), `<${TAGS}?n=1>; rel="next"`);
    assert.equal(await linkOf(`${TAGS}?last=v1&n=1`), `<${TAGS}?last=v1&n=1>; rel="next"`);
  });

  it('cycle: the first page links on, a later page links back to the first (A→B→A)', async () => {
    emu.setFaults([{ kind: 'paging', mode: 'cycle' }]);
    assert.equal(await linkOf(`${TAGS}?n=1`), `<${TAGS}?last=v1&n=1>; rel="next"`);
    assert.equal(await linkOf(`${TAGS}?last=v1&n=1`), `<${TAGS}?n=1>; rel="next"`);
  });

  it('foreign-origin and foreign-path move the Link elsewhere; a reply body is left alone', async () => {
    emu.setFaults([{ kind: 'paging', mode: 'foreign-origin' }]);
    const reply = await call(emu, 'GET', `${TAGS}?n=1`);
    assert.equal(reply.headers.get('link'), `<https://elsewhere.invalid${TAGS}?last=v1&n=1>; rel="next"`);
    assert.equal(reply.body.tags.length, 1);
    emu.setFaults([{ kind: 'paging', mode: 'foreign-path' }]);
    assert.equal(await linkOf(`${TAGS}?n=1`), `</elsewhere${TAGS}?last=v1&n=1>; rel="next"`);
  });

  it('leaves single items alone unless a match says otherwise', async () => {
    emu.setFaults([{ kind: 'paging', mode: 'repeat' }]);
    const tag = await call(emu, 'GET', `${TAGS}/v1`);
    assert.equal(tag.status, 200);
    assert.equal(tag.headers.get('link'), null);
  });

  it('ignore-artifact-type answers every referrer, without OCI-Filters-Applied', async () => {
    await pushSignature(emu, 'pages/app', image);
    const path = `/v2/pages/app/referrers/${image.digest}?artifactType=application%2Fx-other`;
    const honest = await call(emu, 'GET', path);
    assert.equal(honest.body.manifests.length, 0);
    assert.equal(honest.headers.get('oci-filters-applied'), 'artifactType');
    emu.setFaults([{ kind: 'ignore-artifact-type' }]);
    const ignoring = await call(emu, 'GET', path);
    assert.equal(ignoring.body.manifests.length, 1);
    assert.equal(ignoring.headers.get('oci-filters-applied'), null);
  });

  it('refuses a paging rule without a mode', async () => {
    const reply = await fetch(`${emu.url}/_emulator/faults`, { method: 'POST', body: JSON.stringify([{ kind: 'paging' }]) });
    assert.equal(reply.status, 400);
    assert.match(((await reply.json()) as { errors: Array<{ message: string }> }).errors[0].message, /a "paging" rule needs "mode"/);
  });
});
