/**
 * Evidence files (佐证材料) in an S3-compatible store (infra/evidence-store.ts, infra/s3.ts),
 * against moto's S3 server — a real server, provisioned on first use (tests/setup/moto.ts): an
 * upload through the API lands in the bucket and not in PostgreSQL, downloads byte for byte, is
 * kept once per content; files kept in PostgreSQL before the switch are still served; the store
 * away is a 503 with nothing half-stored. moto accepts any signature, so the signing is checked
 * against AWS's own worked examples instead.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../api/app';
import { ConfigError, loadConfig } from '../infra/config';
import { evidenceObjectKey, evidenceStoreOptions, type EvidenceStoreOptions } from '../infra/evidence-store';
import { createS3Client, signV4, type S3Client, type S3Options } from '../infra/s3';
import { farDeadline } from './dates';
import { newCampaign, office, startHarness, testApp, uniq, unitWithToken, uploadEvidence, type Harness } from './harness';
import { freePort } from './setup/free-port';
import { startMoto, type Moto } from './setup/moto';

const sha = (b: Buffer | string) => crypto.createHash('sha256').update(b).digest('hex');
// A 1×1 PNG and a minimal PDF (domain/evidence.ts judges by content); each test varies the bytes.
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201e221bc330000000049454e44ae426082', 'hex');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const png = (tag: string) => Buffer.concat([PNG, Buffer.from(tag)]);

let moto: Moto;
let h: Harness;
let s3: S3Client;
let s3Options: S3Options;
let itemId: string;
const apps: App[] = [];
/** Another app on the same database, with other evidence store settings (a restart with a new configuration). */
async function appWith(evidenceStore: EvidenceStoreOptions | undefined) {
  const app = await testApp(h.sql, h.client, h.taskQueue, { evidenceStore });
  apps.push(app);
  return app;
}
const download = (app: App, id: string) => app.inject({ method: 'GET', url: `/api/v1/evidence/${id}`, headers: office });
const rowsFor = async (sha256: string) => h.sql<{ id: string; store: string }[]>`select id, store from evidence_files where sha256 = ${sha256}`;
const blobFor = async (id: string) => (await h.sql`select 1 from evidence_blobs where id = ${id}`).length;

describe('S3 request signing and configuration (no server)', () => {
  it("signs requests as AWS's worked examples do (Signature Version 4)", () => {
    const creds = { region: 'us-east-1', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
    const empty = sha('');
    const get = signV4({
      ...creds,
      method: 'GET',
      url: new URL('https://examplebucket.s3.amazonaws.com/test.txt'),
      headers: { range: 'bytes=0-9', 'x-amz-content-sha256': empty, 'x-amz-date': '20130524T000000Z' },
      payloadHash: empty,
    });
    expect(get).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
    // A body and an encoded key (test$file.text).
    const body = sha('Welcome to Amazon S3.');
    const put = signV4({
      ...creds,
      method: 'PUT',
      url: new URL('https://examplebucket.s3.amazonaws.com/test%24file.text'),
      headers: { date: 'Fri, 24 May 2013 00:00:00 GMT', 'x-amz-storage-class': 'REDUCED_REDUNDANCY', 'x-amz-content-sha256': body, 'x-amz-date': '20130524T000000Z' },
      payloadHash: body,
    });
    expect(put).toMatch(/SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class,Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd$/);
    // A query string, sorted.
    const list = signV4({ ...creds, method: 'GET', url: new URL('https://examplebucket.s3.amazonaws.com/?prefix=J&max-keys=2'), headers: { 'x-amz-content-sha256': empty, 'x-amz-date': '20130524T000000Z' }, payloadHash: empty });
    expect(list).toMatch(/Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7$/);
  });

  it('is chosen by configuration, and an incomplete one is refused at start naming the variables', () => {
    const s3Env = { RECTIFY_EVIDENCE_STORE: 's3', S3_ENDPOINT: 'http://minio.internal:9000', S3_BUCKET: 'rectify-evidence', S3_ACCESS_KEY_ID: 'AK', S3_SECRET_ACCESS_KEY: 'SK' };
    expect(evidenceStoreOptions(loadConfig(s3Env))).toEqual({
      write: 's3',
      s3: { endpoint: 'http://minio.internal:9000', bucket: 'rectify-evidence', region: 'us-east-1', accessKeyId: 'AK', secretAccessKey: 'SK', forcePathStyle: true },
    });
    expect(evidenceStoreOptions(loadConfig({ ...s3Env, S3_REGION: 'cn-north-1', S3_FORCE_PATH_STYLE: 'false' })).s3).toMatchObject({ region: 'cn-north-1', forcePathStyle: false });
    // The default, with empty variables as docker-compose passes unset ones.
    expect(evidenceStoreOptions(loadConfig({ RECTIFY_EVIDENCE_STORE: '', S3_ENDPOINT: '', S3_FORCE_PATH_STYLE: '' }))).toEqual({ write: 'postgres', s3: undefined });
    // Switched back to postgres with S3 still configured: files kept there stay readable.
    expect(evidenceStoreOptions(loadConfig({ ...s3Env, RECTIFY_EVIDENCE_STORE: 'postgres' })).s3?.bucket).toBe('rectify-evidence');

    expect(() => loadConfig({ RECTIFY_EVIDENCE_STORE: 's3' })).toThrow(ConfigError);
    expect(() => loadConfig({ RECTIFY_EVIDENCE_STORE: 's3', S3_ENDPOINT: 'http://minio:9000' })).toThrow(
      /S3_BUCKET: required with RECTIFY_EVIDENCE_STORE=s3\n {2}S3_ACCESS_KEY_ID: required.*\n {2}S3_SECRET_ACCESS_KEY: required/,
    );
    expect(() => loadConfig({ S3_BUCKET: 'rectify-evidence' })).toThrow(/S3_ENDPOINT: required with S3_BUCKET \(all four or none\)/);
    expect(() => loadConfig({ RECTIFY_EVIDENCE_STORE: 'minio' })).toThrow(/RECTIFY_EVIDENCE_STORE/);
    expect(() => loadConfig({ ...s3Env, S3_ENDPOINT: 'minio:9000' })).toThrow(/S3_ENDPOINT: must be an http/);
  });

});

describe('the S3 evidence store, against moto', () => {
  beforeAll(async () => {
    moto = await startMoto();
    // A bucket that does not exist yet: the store creates it on the first upload.
    s3Options = { endpoint: moto.endpoint, bucket: `rectify-evidence-${uniq()}`, region: 'us-east-1', accessKeyId: 'rectify-test', secretAccessKey: 'rectify-test-secret', forcePathStyle: true };
    s3 = createS3Client(s3Options);
    // Uploads need an item, not its workflow: no worker.
    h = await startHarness({ worker: false, evidenceStore: { write: 's3', s3: s3Options } });
    const unit = await unitWithToken(h, `市生态环境局-${uniq()}`);
    const campaignId = await newCampaign(h, { policy: { delivery: null } });
    const r = await h.app.inject({
      method: 'POST',
      url: `/api/v1/campaigns/${campaignId}/items`,
      headers: office,
      payload: { items: [{ number: '1', content: '污水直排口整治', deadline: farDeadline(), leadUnits: [unit.id] }] },
    });
    expect(r.statusCode, r.body).toBe(201);
    itemId = r.json().items[0].id;
  }, 300_000);
  afterAll(async () => {
    for (const app of apps) await app.close();
    await h?.close();
    await moto?.stop();
  });

  it('an upload lands in the bucket (not in PostgreSQL) and downloads byte for byte; the same bytes again are the same file', async () => {
    const bytes = png('s3-first');
    const up = await uploadEvidence(h.app, itemId, office, [{ name: '整改后现场照片.png', bytes }]);
    expect(up.statusCode, up.body).toBe(201);
    const file = up.json().files[0];
    expect(file).toMatchObject({ name: '整改后现场照片.png', mime: 'image/png', size: bytes.length, sha256: sha(bytes) });
    expect(file.store).toBeUndefined(); // where the bytes are is the server's business

    // In the bucket (created on this first upload), under its SHA-256; nothing in evidence_blobs.
    expect(await s3.getObject(evidenceObjectKey(sha(bytes)))).toEqual(bytes);
    expect(await rowsFor(sha(bytes))).toEqual([{ id: file.id, store: 's3' }]);
    expect(await blobFor(file.id)).toBe(0);

    const dl = await download(h.app, file.id);
    expect(dl.statusCode, dl.body).toBe(200);
    expect(dl.rawPayload).toEqual(bytes);
    expect([dl.headers['content-type'], dl.headers['x-evidence-sha256']]).toEqual(['image/png', sha(bytes)]);

    const again = await uploadEvidence(h.app, itemId, office, [{ name: '照片副本.png', bytes }]);
    expect(again.json().files[0].id).toBe(file.id);
    expect(await rowsFor(sha(bytes))).toHaveLength(1);
  });

  it('files kept in PostgreSQL before the switch are still served, and S3 files after switching back while S3 is configured', async () => {
    // Uploaded while the configuration said postgres (the default).
    const before = await appWith(undefined);
    const bytes = Buffer.concat([PDF, Buffer.from('% kept in postgres')]);
    const up = await uploadEvidence(before, itemId, office, [{ name: '验收报告.pdf', bytes }]);
    expect(up.statusCode, up.body).toBe(201);
    const old = up.json().files[0];
    expect(await rowsFor(sha(bytes))).toEqual([{ id: old.id, store: 'postgres' }]);
    expect(await blobFor(old.id)).toBe(1);
    expect(await s3.getObject(evidenceObjectKey(sha(bytes)))).toBeUndefined();
    // Now configured for S3: served from PostgreSQL, where its row says it is.
    const dl = await download(h.app, old.id);
    expect([dl.statusCode, sha(dl.rawPayload)]).toEqual([200, old.sha256]);

    // Back to postgres, S3 variables kept: new files go to PostgreSQL, S3 files are still served.
    const inS3 = (await uploadEvidence(h.app, itemId, office, [{ name: 'a.png', bytes: png('s3-then-back') }])).json().files[0];
    const back = await appWith({ write: 'postgres', s3: s3Options });
    expect(sha((await download(back, inS3.id)).rawPayload)).toBe(inS3.sha256);
    const fresh = (await uploadEvidence(back, itemId, office, [{ name: 'b.png', bytes: png('after-switching-back') }])).json().files[0];
    expect((await rowsFor(fresh.sha256))[0]!.store).toBe('postgres');
    // Back to postgres without them: the S3 file is answered 503 (the store is not there), never a 500.
    const without = await download(await appWith(undefined), inS3.id);
    expect([without.statusCode, without.json().code]).toEqual([503, 'EVIDENCE_STORE_UNAVAILABLE']);
  });

  it('never serves bytes other than those recorded: a replaced object is refused', async () => {
    const bytes = png('to-be-replaced');
    const file = (await uploadEvidence(h.app, itemId, office, [{ name: '被替换.png', bytes }])).json().files[0];
    await s3.putObject(evidenceObjectKey(file.sha256), png('something else'));
    const dl = await download(h.app, file.id);
    expect([dl.statusCode, dl.json().code]).toEqual([500, 'EVIDENCE_CORRUPT']);
    expect(dl.json().messageZh).toContain('佐证材料文件已损坏');
  });

  it('the store away: uploads answer 503 EVIDENCE_STORE_UNAVAILABLE in Chinese and leave no row; downloads 503', async () => {
    const unavailable = { statusCode: 503, code: 'EVIDENCE_STORE_UNAVAILABLE', messageZh: '佐证材料存储服务不可用，请稍后重试', unavailable: 'evidence-store' };
    const stored = (await uploadEvidence(h.app, itemId, office, [{ name: '已存.png', bytes: png('stored-before-outage') }])).json().files[0];

    // Configured with a port nothing listens on.
    const wrongPort = await appWith({ write: 's3', s3: { ...s3Options, endpoint: `http://127.0.0.1:${await freePort()}` } });
    const lost = png('wrong-port');
    const r1 = await uploadEvidence(wrongPort, itemId, office, [{ name: '现场照片.png', bytes: lost }]);
    expect(r1.json()).toMatchObject(unavailable);
    expect(r1.json().message).not.toContain('127.0.0.1'); // the cause is logged, not sent
    expect(await rowsFor(sha(lost))).toEqual([]);
    expect((await download(wrongPort, stored.id)).json()).toMatchObject(unavailable);

    // The server stopped under a running app (its bucket already made sure of).
    await moto.stop();
    const late = png('moto-stopped');
    const r2 = await uploadEvidence(h.app, itemId, office, [{ name: '整改台账.png', bytes: late }]);
    expect(r2.json()).toMatchObject(unavailable);
    expect(await rowsFor(sha(late))).toEqual([]);
    expect((await download(h.app, stored.id)).json()).toMatchObject(unavailable);
    // Files in PostgreSQL are not affected.
    const pgFile = (await h.sql<{ id: string }[]>`select id from evidence_files where store = 'postgres' and item_id = ${itemId} limit 1`)[0]!;
    expect((await download(h.app, pgFile.id)).statusCode).toBe(200);
  });
});
