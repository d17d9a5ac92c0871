// Checks the `koppel emulate hubspot` command itself: state saved on
// SIGTERM and loaded again, admin actions from another process, and flags
// that must be rejected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@hubspot/api-client';
import { koppelBin, startHubSpotEmulator } from './hubspot-emulator.mjs';

const token = 'pat-na1-cli';

test('state is saved on SIGTERM and loaded on the next start', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'koppel-hubspot-state-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const state = join(dir, 'state.json');

  const first = await startHubSpotEmulator({ config: { privateAppTokens: [token] } }, ['--state', state]);
  const hubspot = new Client({ accessToken: token, basePath: first.url });
  const created = await hubspot.crm.contacts.basicApi.create({ properties: { email: 'kept@example.com', firstname: 'Kept' }, associations: [] });

  // A user edits the contact in the HubSpot UI, through the admin endpoint.
  const res = await fetch(`${first.url}/_emulator/records/contacts/${created.id}`, {
    method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ properties: { jobtitle: 'Editor' } }),
  });
  assert.equal(res.status, 200);
  await first.stop();

  assert.ok(existsSync(state), 'state file written at shutdown');
  assert.equal(statSync(state).mode & 0o777, 0o600);
  const saved = JSON.parse(readFileSync(state, 'utf8'));
  assert.equal(saved.contacts[0].properties.jobtitle, 'Editor');
  assert.equal(saved.contacts[0].history.jobtitle[0].sourceType, 'CRM_UI');

  const second = await startHubSpotEmulator(null, ['--state', state]);
  t.after(() => second.stop());
  const again = new Client({ accessToken: token, basePath: second.url });
  const got = await again.crm.contacts.basicApi.getById(created.id, ['email', 'jobtitle', 'firstname']);
  assert.equal(got.properties.email, 'kept@example.com');
  assert.equal(got.properties.jobtitle, 'Editor');
  assert.equal(got.properties.firstname, 'Kept');
});

test('POST /_emulator/save writes the state file while running', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'koppel-hubspot-save-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const state = join(dir, 'state.json');

  const emu = await startHubSpotEmulator({ config: { privateAppTokens: [token] } }, ['--state', state]);
  t.after(() => emu.stop());
  const hubspot = new Client({ accessToken: token, basePath: emu.url });
  const created = await hubspot.crm.contacts.basicApi.create({ properties: { email: 'saved@example.com' }, associations: [] });

  const res = await fetch(`${emu.url}/_emulator/save`, { method: 'POST' });
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { path: state });
  const saved = JSON.parse(readFileSync(state, 'utf8'));
  assert.deepEqual(saved.contacts.map((c) => c.id), [created.id]);
});

function runKoppel(args) {
  return spawnSync(koppelBin(), ['emulate', 'hubspot', ...args], { encoding: 'utf8', timeout: 10_000 });
}

test('a listen address off loopback is rejected', () => {
  const res = runKoppel(['--listen', '0.0.0.0:0']);
  assert.equal(res.status, 2);
  assert.match(res.stderr, /loopback/);
});

test('a webhook URL off loopback is rejected', () => {
  const res = runKoppel(['--webhook-url', 'https://hooks.example.com/hubspot']);
  assert.equal(res.status, 2);
  assert.match(res.stderr, /not a loopback address/);
});

test('a seed with an unknown field names it', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'koppel-hubspot-seed-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const seed = join(dir, 'seed.json');
  writeFileSync(seed, JSON.stringify({ contcts: [] }));
  const res = runKoppel(['--seed', seed]);
  assert.equal(res.status, 1);
  assert.match(res.stderr, /contcts/);
});
