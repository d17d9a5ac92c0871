// Drives koppel's Salesforce emulator through jsforce, unchanged, from
// another process, and checks the values it returns.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startSalesforceEmulator } from './salesforce-emulator.mjs';

// jsforce is pinned to 3.10.16 because later releases send requests
// through undici 8, which needs Node 22.19 or later and fails to load on
// the Node 20 that Debian machines run. A load failure fails the run.
import jsforce from 'jsforce';

const clientId = '3MVG9-conformance';
// Generated per run, so no credential is stored in the repository.
const clientSecret = `secret-${process.pid}-${Date.now()}`;
const leadCount = 2500;

let emu;
let conn;

function seed() {
  const leads = [];
  for (let i = 0; i < leadCount; i++) {
    leads.push({ LastName: `Lead${String(i).padStart(4, '0')}`, Company: 'Conformance BV', Email: `lead${i}@example.com` });
  }
  return {
    config: {
      oauth: { client_id: clientId, client_secret: clientSecret, username: 'jsforce@koppel.example' },
      custom_fields: [{ object: 'Contact', name: 'Sync_Id__c', type: 'string', length: 40, external_id: true, unique: true }],
      daily_api_limit: 100000,
    },
    records: {
      User: [{ Username: 'jsforce@koppel.example', LastName: 'Jsforce', Email: 'jsforce@koppel.example' }],
      Account: [{ Id: '001KP0000000AAA', Name: 'Acme Nederland', Industry: 'Technology' }],
      Contact: [{ LastName: 'Jansen', FirstName: 'Anna', Email: 'anna@example.nl', AccountId: '001KP0000000AAA' }],
      Lead: leads,
    },
  };
}

before(async () => {
  emu = await startSalesforceEmulator(seed());
  if (jsforce) {
    conn = new jsforce.Connection({
      oauth2: { clientId, clientSecret, loginUrl: emu.url },
      version: '66.0',
    });
  }
});

after(async () => {
  await emu?.stop();
});

test('login with client credentials', async () => {
  const info = await conn.authorize({ grant_type: 'client_credentials' });
  assert.equal(conn.instanceUrl, emu.url);
  assert.match(conn.accessToken, /^00D\w{12}!/);
  assert.match(info.id, /^005\w{15}$/);
  assert.match(info.organizationId, /^00D\w{15}$/);
});

test('identity on a reused access token', async () => {
  // A connection made from a stored token has no identity URL yet, so
  // jsforce reads it from the version root first.
  const reused = new jsforce.Connection({ instanceUrl: conn.instanceUrl, accessToken: conn.accessToken, version: '66.0' });
  const id = await reused.identity();
  assert.match(id.organization_id, /^00D\w{15}$/);
  assert.match(id.user_id, /^005\w{15}$/);
  assert.equal(id.username, 'jsforce@koppel.example');
  assert.equal(id.id, `${emu.url}/id/${id.organization_id}/${id.user_id}`);
});

test('login with a wrong secret fails with invalid_client', async () => {
  const bad = new jsforce.Connection({ oauth2: { clientId, clientSecret: 'wrong', loginUrl: emu.url }, version: '66.0' });
  await assert.rejects(bad.authorize({ grant_type: 'client_credentials' }), (err) => {
    assert.match(String(err.name) + String(err.message), /invalid_client/);
    return true;
  });
});

test('describe Lead has the documented fields', async () => {
  const d = await conn.sobject('Lead').describe();
  assert.equal(d.name, 'Lead');
  assert.equal(d.keyPrefix, '00Q');
  const byName = Object.fromEntries(d.fields.map((f) => [f.name, f]));
  assert.equal(byName.LastName.length, 80);
  assert.equal(byName.LastName.nillable, false);
  assert.equal(byName.Email.type, 'email');
  assert.equal(byName.Status.restrictedPicklist, true);
  assert.deepEqual(byName.Status.picklistValues.map((p) => p.value),
    ['Open - Not Contacted', 'Working - Contacted', 'Closed - Converted', 'Closed - Not Converted']);
  assert.equal(byName.HasOptedOutOfEmail.type, 'boolean');
  assert.equal(byName.CreatedDate.createable, false);

  const global = await conn.describeGlobal();
  const names = global.sobjects.map((s) => s.name);
  for (const name of ['Account', 'Campaign', 'CampaignMember', 'Contact', 'Lead', 'User']) {
    assert.ok(names.includes(name), `describeGlobal lists ${name}`);
  }
});

test('query pages past 2,000 rows', async () => {
  const first = await conn.query('SELECT Id, LastName FROM Lead ORDER BY LastName');
  assert.equal(first.totalSize, leadCount);
  assert.equal(first.done, false);
  assert.equal(first.records.length, 2000);
  // jsforce may prefix the instance URL; the path is Salesforce's.
  assert.match(first.nextRecordsUrl, /\/services\/data\/v66\.0\/query\/01g\w{15}-2000$/);

  const rest = await conn.queryMore(first.nextRecordsUrl);
  assert.equal(rest.done, true);
  assert.equal(rest.records.length, leadCount - 2000);
  assert.equal(rest.records.at(-1).LastName, 'Lead2499');

  const all = await conn.query('SELECT Id, Email FROM Lead', {}).run({ autoFetch: true, maxFetch: 10000 });
  assert.equal(all.records.length, leadCount);
  assert.equal(new Set(all.records.map((r) => r.Id)).size, leadCount, 'ids are unique across pages');
  assert.equal(all.records[0].attributes.type, 'Lead');
});

test('parent relationship fields nest', async () => {
  const res = await conn.query("SELECT Id, Name, Account.Name, Account.Industry FROM Contact WHERE Email = 'anna@example.nl'");
  assert.equal(res.totalSize, 1);
  assert.equal(res.records[0].Name, 'Anna Jansen');
  assert.equal(res.records[0].Account.Name, 'Acme Nederland');
  assert.equal(res.records[0].Account.Industry, 'Technology');
  assert.equal(res.records[0].Account.attributes.type, 'Account');
});

test('create, update, retrieve and delete a record', async () => {
  const created = await conn.sobject('Contact').create({ LastName: 'de Vries', Email: 'devries@example.nl' });
  assert.equal(created.success, true);
  assert.match(created.id, /^003\w{15}$/);

  await conn.sobject('Contact').update({ Id: created.id, Title: 'Inkoper', HasOptedOutOfEmail: true });
  const got = await conn.sobject('Contact').retrieve(created.id);
  assert.equal(got.Title, 'Inkoper');
  assert.equal(got.HasOptedOutOfEmail, true);
  assert.equal(got.Name, 'de Vries');
  assert.match(got.SystemModstamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);

  const del = await conn.sobject('Contact').destroy(created.id);
  assert.equal(del.success, true);
  await assert.rejects(conn.sobject('Contact').retrieve(created.id), (err) => {
    assert.equal(err.errorCode, 'ENTITY_IS_DELETED');
    return true;
  });
});

test('update of several records at once', async () => {
  const created = await conn.sobject('Lead').create([
    { LastName: 'Meerdere', Company: 'Batch BV' },
    { LastName: 'Tegelijk', Company: 'Batch BV' },
  ]);
  const ids = created.map((r) => r.id);

  // jsforce sends each record's id as "id" to PATCH /composite/sobjects.
  const updated = await conn.sobject('Lead').update([
    { Id: ids[0], Title: 'x' },
    { Id: ids[1], Title: 'y' },
  ]);
  assert.deepEqual(updated.map((r) => r.success), [true, true]);
  assert.deepEqual(updated.map((r) => r.id), ids);

  const got = await conn.sobject('Lead').retrieve(ids);
  assert.deepEqual(got.map((r) => r.Title), ['x', 'y']);
});

test('queryAll sees a deleted record', async () => {
  const created = await conn.sobject('Lead').create({ LastName: 'Weg', Company: 'Prullenbak BV' });
  await conn.sobject('Lead').destroy(created.id);

  const live = await conn.query(`SELECT Id FROM Lead WHERE Id = '${created.id}'`);
  assert.equal(live.totalSize, 0);
  const all = await conn.query(`SELECT Id, IsDeleted FROM Lead WHERE Id = '${created.id}'`, { scanAll: true });
  assert.equal(all.totalSize, 1);
  assert.equal(all.records[0].IsDeleted, true);
});

test('collections report a partial failure per record', async () => {
  const results = await conn.sobject('Contact').create([
    { LastName: 'Bakker', Email: 'bakker@example.nl' },
    { FirstName: 'NoLastName' },
    { LastName: 'Visser', Email: 'not an email' },
  ], { allOrNone: false });
  assert.equal(results.length, 3);
  assert.equal(results[0].success, true);
  assert.match(results[0].id, /^003/);
  assert.equal(results[1].success, false);
  assert.equal(results[1].errors[0].statusCode, 'REQUIRED_FIELD_MISSING');
  assert.deepEqual(results[1].errors[0].fields, ['LastName']);
  assert.equal(results[2].success, false);
  assert.equal(results[2].errors[0].statusCode, 'INVALID_EMAIL_ADDRESS');

  const rolledBack = await conn.sobject('Contact').create([
    { LastName: 'Rollback', Email: 'rb@example.nl' },
    { FirstName: 'Missing' },
  ], { allOrNone: true });
  assert.equal(rolledBack[0].success, false);
  assert.equal(rolledBack[0].errors[0].statusCode, 'ALL_OR_NONE_OPERATION_ROLLED_BACK');
  const check = await conn.query("SELECT COUNT() FROM Contact WHERE Email = 'rb@example.nl'");
  assert.equal(check.totalSize, 0);
});

test('upsert by external ID creates then updates', async () => {
  const first = await conn.sobject('Contact').upsert({ Sync_Id__c: 'hs-42', LastName: 'Smit' }, 'Sync_Id__c');
  assert.equal(first.success, true);
  assert.equal(first.created, true);
  const second = await conn.sobject('Contact').upsert({ Sync_Id__c: 'hs-42', FirstName: 'Jan' }, 'Sync_Id__c');
  assert.equal(second.success, true);
  assert.equal(second.created, false);
  assert.equal(second.id, first.id);

  const many = await conn.sobject('Contact').upsert([
    { Sync_Id__c: 'hs-42', Title: 'Directeur' },
    { Sync_Id__c: 'hs-43', LastName: 'Mulder' },
  ], 'Sync_Id__c');
  assert.deepEqual(many.map((r) => [r.success, r.created]), [[true, false], [true, true]]);

  const rec = await conn.sobject('Contact').retrieve(first.id);
  assert.equal(rec.Name, 'Jan Smit');
  assert.equal(rec.Title, 'Directeur');
});

test('a SOQL syntax error comes back as MALFORMED_QUERY', async () => {
  await assert.rejects(conn.query('SELECT Id FROM Lead WHERE'), (err) => {
    assert.equal(err.errorCode, 'MALFORMED_QUERY');
    assert.match(err.message, /ERROR at Row:1:Column:26/);
    return true;
  });
});

test('limits and Sforce-Limit-Info', async () => {
  const limits = await conn.limits();
  assert.equal(limits.DailyApiRequests.Max, 100000);
  assert.ok(limits.DailyApiRequests.Remaining < 100000);
  assert.ok(limits.DailyApiRequests.Remaining > 99900);
  assert.equal(conn.limitInfo.apiUsage.limit, 100000);
  assert.equal(conn.limitInfo.apiUsage.used, 100000 - limits.DailyApiRequests.Remaining);
});

test('the emulator answers plain HTTP from another process', async () => {
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret });
  const tokenRes = await fetch(`${emu.url}/services/oauth2/token`, { method: 'POST', body: form });
  assert.equal(tokenRes.status, 200);
  const token = await tokenRes.json();
  assert.equal(token.instance_url, emu.url);
  assert.equal(token.token_type, 'Bearer');

  const headers = { Authorization: `Bearer ${token.access_token}` };
  const versions = await (await fetch(`${emu.url}/services/data/`)).json();
  assert.ok(versions.some((v) => v.version === '66.0' && v.url === '/services/data/v66.0'));

  const q = encodeURIComponent("SELECT COUNT() FROM Lead WHERE Company = 'Conformance BV'");
  const res = await fetch(`${emu.url}/services/data/v66.0/query?q=${q}`, { headers });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('sforce-limit-info'), /^api-usage=\d+\/100000$/);
  const body = await res.json();
  assert.ok(body.totalSize >= leadCount, `totalSize ${body.totalSize}`);

  const bad = await fetch(`${emu.url}/services/data/v66.0/sobjects/Lead`, {
    method: 'POST', headers: { ...headers, 'Content-Type': 'application/json' }, body: '{"LastName":',
  });
  assert.equal(bad.status, 400);
  const errors = await bad.json();
  assert.equal(errors[0].errorCode, 'JSON_PARSER_ERROR');
});

test('a listen address beyond loopback is refused before binding', () => {
  const run = spawnSync(process.env.KOPPEL_BIN, ['emulate', 'salesforce', '--listen', '0.0.0.0:0'], { encoding: 'utf8', timeout: 10000 });
  assert.equal(run.status, 2);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, /invalid --listen: listen host "0\.0\.0\.0" is not a loopback address/);
});
