// Drives `koppel emulate hubspot` through HubSpot's official Node client,
// @hubspot/api-client, unchanged: the client's own paths, bodies and
// response decoding must work against the emulator.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@hubspot/api-client';
import { startHubSpotEmulator } from './hubspot-emulator.mjs';

const token = 'pat-na1-conformance';

const seed = {
  config: { privateAppTokens: [token], portalId: 4000042 },
  owners: [
    { id: '501', email: 'owner.one@example.com', firstName: 'Olga', lastName: 'One', userId: 9001 },
    { id: '502', email: 'owner.two@example.com', firstName: 'Otto', lastName: 'Two', userId: 9002 },
  ],
  contacts: [
    { id: '1001', properties: { email: 'seed.ada@example.com', firstname: 'Ada', lifecyclestage: 'lead' } },
    { id: '1002', properties: { email: 'seed.bob@example.com', firstname: 'Bob', lifecyclestage: 'customer' } },
  ],
  companies: [{ id: '2001', properties: { name: 'Seed Corp', domain: 'seed.example' } }],
  associations: [{ contactId: '1001', companyId: '2001', primary: true }],
};

let emulator;
let hubspot;

before(async () => {
  emulator = await startHubSpotEmulator(seed);
  hubspot = new Client({ accessToken: token, basePath: emulator.url });
});

after(async () => {
  await emulator?.stop();
});

// apiError runs fn and returns the ApiException it throws.
async function apiError(fn) {
  try {
    await fn();
  } catch (err) {
    assert.ok(err.code, `expected an ApiException with a status code, got ${err}`);
    return err;
  }
  assert.fail('expected the call to fail');
}

function errorBody(err) {
  return typeof err.body === 'string' ? JSON.parse(err.body) : err.body;
}

describe('contacts basic API', () => {
  test('create, read, update and archive with string values', async () => {
    const created = await hubspot.crm.contacts.basicApi.create({
      properties: { email: 'cora@example.com', firstname: 'Cora', lifecyclestage: 'lead', hs_buying_role: 'CHAMPION;END_USER' },
      associations: [],
    });
    assert.match(created.id, /^\d+$/);
    assert.equal(created.properties.firstname, 'Cora');
    assert.ok(created.createdAt instanceof Date);

    const got = await hubspot.crm.contacts.basicApi.getById(created.id, ['email', 'lifecyclestage', 'hs_buying_role', 'lastname'], ['firstname']);
    assert.equal(got.properties.email, 'cora@example.com');
    assert.equal(got.properties.lifecyclestage, 'lead');
    assert.equal(got.properties.hs_buying_role, 'CHAMPION;END_USER');
    assert.equal('lastname' in got.properties, false, 'a property without value is omitted');
    assert.equal(got.propertiesWithHistory.firstname[0].value, 'Cora');

    const updated = await hubspot.crm.contacts.basicApi.update(created.id, { properties: { lifecyclestage: 'customer' } });
    assert.equal(updated.properties.lifecyclestage, 'customer');

    const byEmail = await hubspot.crm.contacts.basicApi.getById('CORA@example.com', ['lifecyclestage'], undefined, undefined, false, 'email');
    assert.equal(byEmail.id, created.id);
    assert.equal(byEmail.properties.lifecyclestage, 'customer');

    await hubspot.crm.contacts.basicApi.archive(created.id);
    const gone = await apiError(() => hubspot.crm.contacts.basicApi.getById(created.id));
    assert.equal(gone.code, 404);

    const archived = await hubspot.crm.contacts.basicApi.getPage(100, undefined, ['email'], undefined, undefined, true);
    assert.ok(archived.results.some((r) => r.id === created.id && r.archived === true));
  });

  test('associations on read and paging of the list endpoint', async () => {
    const contact = await hubspot.crm.contacts.basicApi.getById('1001', ['email'], undefined, ['companies']);
    const ids = contact.associations.companies.results.map((r) => r.id);
    assert.ok(ids.includes('2001'));

    const first = await hubspot.crm.contacts.basicApi.getPage(1, undefined, ['email']);
    assert.equal(first.results.length, 1);
    assert.ok(first.paging.next.after);
    const second = await hubspot.crm.contacts.basicApi.getPage(1, first.paging.next.after, ['email']);
    assert.notEqual(second.results[0].id, first.results[0].id);
  });

  test('duplicate email is a 409 naming the existing id', async () => {
    const err = await apiError(() => hubspot.crm.contacts.basicApi.create({ properties: { email: 'seed.ada@example.com' }, associations: [] }));
    assert.equal(err.code, 409);
    const body = errorBody(err);
    assert.equal(body.category, 'CONFLICT');
    assert.match(body.message, /Existing ID: 1001/);
  });

  test('a create without properties is a VALIDATION_ERROR', async () => {
    const before = await hubspot.crm.contacts.basicApi.getPage(100);
    const res = await hubspot.apiRequest({
      method: 'POST', path: '/crm/v3/objects/contacts', body: { propertys: { email: 'typo@example.com' } },
    });
    assert.equal(res.status, 400);
    const body = await res.json();
    assert.equal(body.category, 'VALIDATION_ERROR');
    assert.match(body.message, /properties/);
    assert.match(body.message, /propertys/);
    const after = await hubspot.crm.contacts.basicApi.getPage(100);
    assert.equal(after.results.length, before.results.length);
  });

  test('invalid values get VALIDATION_ERROR with the error code', async () => {
    const err = await apiError(() => hubspot.crm.contacts.basicApi.create({ properties: { email: 'v@example.com', lifecyclestage: 'royalty' }, associations: [] }));
    assert.equal(err.code, 400);
    const body = errorBody(err);
    assert.equal(body.category, 'VALIDATION_ERROR');
    assert.equal(body.errors[0].code, 'INVALID_OPTION');
    assert.match(body.message, /royalty/);
    assert.ok(body.correlationId);
  });

  test('merge keeps the primary id and lists the merged one', async () => {
    const a = await hubspot.crm.contacts.basicApi.create({ properties: { email: 'merge.a@example.com', firstname: 'A' }, associations: [] });
    const b = await hubspot.crm.contacts.basicApi.create({ properties: { email: 'merge.b@example.com', jobtitle: 'CTO' }, associations: [] });
    const merged = await hubspot.crm.contacts.basicApi.merge({ primaryObjectId: a.id, objectIdToMerge: b.id });
    assert.equal(merged.id, a.id);
    const viaOld = await hubspot.crm.contacts.basicApi.getById(b.id, ['hs_merged_object_ids', 'jobtitle']);
    assert.equal(viaOld.id, a.id);
    assert.equal(viaOld.properties.hs_merged_object_ids, b.id);
    assert.equal(viaOld.properties.jobtitle, 'CTO');
  });
});

describe('contacts batch API', () => {
  test('create with a 207 partial failure mapped by objectWriteTraceId', async () => {
    const res = await hubspot.crm.contacts.batchApi.create({
      inputs: [
        { properties: { email: 'batch.1@example.com', firstname: 'One' }, associations: [], objectWriteTraceId: 'row-1' },
        { properties: { email: 'batch.2@example.com', lifecyclestage: 'nope' }, associations: [], objectWriteTraceId: 'row-2' },
        { properties: { email: 'batch.3@example.com', firstname: 'Three' }, associations: [], objectWriteTraceId: 'row-3' },
      ],
    });
    assert.equal(res.status, 'COMPLETE');
    assert.equal(res.results.length, 2);
    assert.deepEqual(res.results.map((r) => r.properties.email).sort(), ['batch.1@example.com', 'batch.3@example.com']);
    assert.equal(res.numErrors, 1);
    assert.equal(res.errors[0].category, 'VALIDATION_ERROR');
    assert.deepEqual(res.errors[0].context.objectWriteTraceId, ['row-2']);
  });

  test('read, update, upsert and archive', async () => {
    const read = await hubspot.crm.contacts.batchApi.read({ inputs: [{ id: '1001' }, { id: '1002' }], properties: ['firstname'], propertiesWithHistory: [] });
    assert.deepEqual(read.results.map((r) => r.properties.firstname).sort(), ['Ada', 'Bob']);

    const missing = await hubspot.crm.contacts.batchApi.read({ inputs: [{ id: '1001' }, { id: '999999' }], properties: [], propertiesWithHistory: [] });
    assert.equal(missing.results.length, 1);
    assert.deepEqual(missing.errors[0].context.ids, ['999999']);

    const updated = await hubspot.crm.contacts.batchApi.update({ inputs: [{ id: '1002', properties: { jobtitle: 'Baker' } }] });
    assert.equal(updated.results[0].properties.jobtitle, 'Baker');

    const upserted = await hubspot.crm.contacts.batchApi.upsert({
      inputs: [
        { id: 'seed.bob@example.com', idProperty: 'email', properties: { firstname: 'Robert' } },
        { id: 'upsert.new@example.com', idProperty: 'email', properties: { firstname: 'Nova' } },
      ],
    });
    const byEmail = Object.fromEntries(upserted.results.map((r) => [r.properties.email, r]));
    assert.equal(byEmail['seed.bob@example.com'].id, '1002');
    assert.equal(byEmail['seed.bob@example.com']._new ?? byEmail['seed.bob@example.com'].new, false);
    assert.equal(byEmail['upsert.new@example.com']._new ?? byEmail['upsert.new@example.com'].new, true);

    await hubspot.crm.contacts.batchApi.archive({ inputs: [{ id: byEmail['upsert.new@example.com'].id }] });
    const err = await apiError(() => hubspot.crm.contacts.basicApi.getById(byEmail['upsert.new@example.com'].id));
    assert.equal(err.code, 404);
  });
});

describe('search API', () => {
  test('contacts with filter groups, one sort, properties and paging', async () => {
    const req = {
      filterGroups: [
        { filters: [{ propertyName: 'email', operator: 'CONTAINS_TOKEN', value: 'seed.*' }] },
        { filters: [{ propertyName: 'firstname', operator: 'EQ', value: 'cora' }] },
      ],
      sorts: [{ propertyName: 'email', direction: 'DESCENDING' }],
      properties: ['email', 'firstname'],
      limit: 1,
      after: '0',
    };
    const page = await hubspot.crm.contacts.searchApi.doSearch(req);
    assert.equal(page.total, 2);
    assert.equal(page.results[0].properties.email, 'seed.bob@example.com');
    assert.equal(page.paging.next.after, '1');

    const next = await hubspot.crm.contacts.searchApi.doSearch({ ...req, after: page.paging.next.after });
    assert.equal(next.results[0].properties.email, 'seed.ada@example.com');
    assert.equal(next.paging, undefined);
  });

  test('paging past 10,000 results is a 400', async () => {
    const err = await apiError(() => hubspot.crm.contacts.searchApi.doSearch({ filterGroups: [], sorts: [], properties: [], limit: 200, after: '9900' }));
    assert.equal(err.code, 400);
    assert.equal(errorBody(err).category, 'VALIDATION_ERROR');
  });

  test('companies by domain with the default properties', async () => {
    const page = await hubspot.crm.companies.searchApi.doSearch({
      filterGroups: [{ filters: [{ propertyName: 'domain', operator: 'EQ', value: 'seed.example' }] }],
      sorts: [], properties: [], limit: 10, after: '0',
    });
    assert.equal(page.total, 1);
    assert.equal(page.results[0].properties.name, 'Seed Corp');
    assert.ok(page.results[0].properties.hs_lastmodifieddate);
  });

  test('contacts of a company and companies of a contact', async () => {
    const contacts = await hubspot.crm.contacts.searchApi.doSearch({
      filterGroups: [{ filters: [{ propertyName: 'associations.company', operator: 'EQ', value: '2001' }] }],
      sorts: [], properties: ['email'], limit: 10, after: '0',
    });
    assert.deepEqual(contacts.results.map((r) => r.id), ['1001']);

    const companies = await hubspot.crm.companies.searchApi.doSearch({
      filterGroups: [{ filters: [{ propertyName: 'associations.contact', operator: 'EQ', value: '1001' }] }],
      sorts: [], properties: ['name'], limit: 10, after: '0',
    });
    assert.deepEqual(companies.results.map((r) => r.id), ['2001']);
  });
});

describe('companies API', () => {
  test('create, batch read and search a company', async () => {
    const created = await hubspot.crm.companies.basicApi.create({ properties: { name: 'Conformance BV', numberofemployees: '42', industry: 'COMPUTER_SOFTWARE' }, associations: [] });
    assert.equal(created.properties.name, 'Conformance BV');

    const read = await hubspot.crm.companies.batchApi.read({ inputs: [{ id: created.id }], properties: ['numberofemployees', 'industry'], propertiesWithHistory: [] });
    assert.equal(read.results[0].properties.numberofemployees, '42');
    assert.equal(read.results[0].properties.industry, 'COMPUTER_SOFTWARE');

    const err = await apiError(() => hubspot.crm.companies.basicApi.update(created.id, { properties: { numberofemployees: '4.5' } }));
    assert.equal(errorBody(err).errors[0].code, 'INVALID_INTEGER');
  });
});

describe('properties API', () => {
  test('default properties carry HubSpot types and options', async () => {
    const all = await hubspot.crm.properties.coreApi.getAll('contacts');
    const stage = all.results.find((p) => p.name === 'lifecyclestage');
    assert.equal(stage.type, 'enumeration');
    assert.equal(stage.fieldType, 'radio');
    assert.ok(stage.options.some((o) => o.value === 'marketingqualifiedlead'));
    const modified = all.results.find((p) => p.name === 'lastmodifieddate');
    assert.equal(modified.modificationMetadata.readOnlyValue, true);
  });

  test('create a group and a custom property, then write it', async () => {
    const group = await hubspot.crm.properties.groupsApi.create('contacts', { name: 'koppel', label: 'Salesforce (koppel)' });
    assert.equal(group.name, 'koppel');
    const prop = await hubspot.crm.properties.coreApi.create('contacts', {
      name: 'salesforcecontactid', label: 'Salesforce Contact ID', type: 'string', fieldType: 'text', groupName: 'koppel', hasUniqueValue: true,
    });
    assert.equal(prop.name, 'salesforcecontactid');
    assert.equal(prop.hasUniqueValue, true);
    const byName = await hubspot.crm.properties.coreApi.getByName('contacts', 'salesforcecontactid');
    assert.equal(byName.groupName, 'koppel');

    const upserted = await hubspot.crm.contacts.batchApi.upsert({ inputs: [{ id: '003000000000001AAA', idProperty: 'salesforcecontactid', properties: { email: 'sf.link@example.com' } }] });
    assert.equal(upserted.results[0].properties.salesforcecontactid, '003000000000001AAA');

    const dup = await apiError(() => hubspot.crm.properties.coreApi.create('contacts', { name: 'salesforcecontactid', label: 'x', type: 'string', fieldType: 'text', groupName: 'koppel' }));
    assert.equal(dup.code, 409);
  });
});

describe('owners API', () => {
  test('page, filter by email and get by id', async () => {
    const page = await hubspot.crm.owners.ownersApi.getPage(undefined, undefined, 1);
    assert.equal(page.results.length, 1);
    assert.ok(page.paging.next.after);
    const byEmail = await hubspot.crm.owners.ownersApi.getPage('owner.two@example.com');
    assert.equal(byEmail.results[0].id, '502');
    assert.equal(byEmail.results[0].userId, 9002);
    const one = await hubspot.crm.owners.ownersApi.getById(501);
    assert.equal(one.email, 'owner.one@example.com');
  });
});

describe('associations v4 API', () => {
  test('default and primary associations, read back and remove', async () => {
    const contact = await hubspot.crm.contacts.basicApi.create({ properties: { email: 'assoc@example.com' }, associations: [] });
    const companyA = await hubspot.crm.companies.basicApi.create({ properties: { name: 'Assoc A' }, associations: [] });
    const companyB = await hubspot.crm.companies.basicApi.create({ properties: { name: 'Assoc B' }, associations: [] });

    const def = await hubspot.crm.associations.v4.basicApi.createDefault('contacts', contact.id, 'companies', companyA.id);
    assert.equal(def.results[0].associationSpec.associationTypeId, 279);

    const labels = await hubspot.crm.associations.v4.basicApi.create('contacts', contact.id, 'companies', companyB.id, [
      { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 1 },
    ]);
    assert.equal(String(labels.toObjectId), companyB.id);

    const page = await hubspot.crm.associations.v4.basicApi.getPage('contacts', contact.id, 'companies');
    const types = Object.fromEntries(page.results.map((r) => [String(r.toObjectId), r.associationTypes.map((t) => t.typeId).sort((x, y) => x - y)]));
    assert.deepEqual(types[companyA.id], [279]);
    assert.deepEqual(types[companyB.id], [1, 279]);

    const fresh = await hubspot.crm.contacts.basicApi.getById(contact.id, ['associatedcompanyid']);
    assert.equal(fresh.properties.associatedcompanyid, companyB.id);

    const batch = await hubspot.crm.associations.v4.batchApi.getPage('companies', 'contacts', { inputs: [{ id: companyB.id }] });
    assert.equal(String(batch.results[0].to[0].toObjectId), contact.id);
    assert.ok(batch.results[0].to[0].associationTypes.some((t) => t.typeId === 2));

    await hubspot.crm.associations.v4.basicApi.archive('contacts', contact.id, 'companies', companyA.id);
    const after = await hubspot.crm.associations.v4.basicApi.getPage('contacts', contact.id, 'companies');
    assert.deepEqual(after.results.map((r) => String(r.toObjectId)), [companyB.id]);
  });
});

describe('lists API with memberships', () => {
  test('manual list: add, page, remove and reverse lookup', async () => {
    const created = await hubspot.crm.lists.listsApi.create({ name: 'Conformance manual', objectTypeId: '0-1', processingType: 'MANUAL' });
    const listId = created.list.listId;
    assert.equal(created.list.processingType, 'MANUAL');

    const added = await hubspot.crm.lists.membershipsApi.add(listId, ['1001', '1002', '424242']);
    assert.deepEqual([...added.recordsIdsAdded].sort(), ['1001', '1002']);
    assert.deepEqual(added.recordIdsMissing, ['424242']);

    const page = await hubspot.crm.lists.membershipsApi.getPage(listId, undefined, undefined, 1);
    assert.equal(page.results[0].recordId, '1001');
    assert.ok(page.paging.next.after);
    const rest = await hubspot.crm.lists.membershipsApi.getPage(listId, page.paging.next.after);
    assert.deepEqual(rest.results.map((r) => r.recordId), ['1002']);

    const lists = await hubspot.crm.lists.membershipsApi.getLists('0-1', '1002');
    assert.ok(lists.results.some((l) => l.listId === listId));

    const removed = await hubspot.crm.lists.membershipsApi.remove(listId, ['1001']);
    assert.deepEqual(removed.recordIdsRemoved, ['1001']);
    const fetched = await hubspot.crm.lists.listsApi.getById(listId);
    assert.equal(fetched.list.size, 1);
    const byName = await hubspot.crm.lists.listsApi.getByName('Conformance manual', '0-1');
    assert.equal(byName.list.listId, listId);
  });

  test('dynamic list follows the data and rejects membership writes', async () => {
    const created = await hubspot.crm.lists.listsApi.create({
      name: 'Conformance customers', objectTypeId: '0-1', processingType: 'DYNAMIC',
      filterBranch: {
        filterBranchType: 'OR', filterBranchOperator: 'OR', filters: [],
        filterBranches: [{
          filterBranchType: 'AND', filterBranchOperator: 'AND', filterBranches: [],
          filters: [{ filterType: 'PROPERTY', property: 'lifecyclestage', operation: { operationType: 'ENUMERATION', operator: 'IS_ANY_OF', values: ['evangelist'], includeObjectsWithNoValueSet: false } }],
        }],
      },
    });
    const listId = created.list.listId;
    const before = await hubspot.crm.lists.membershipsApi.getPage(listId);
    assert.equal(before.results.length, 0);

    await hubspot.crm.contacts.basicApi.update('1001', { properties: { lifecyclestage: 'evangelist' } });
    const afterUpdate = await hubspot.crm.lists.membershipsApi.getPage(listId);
    assert.deepEqual(afterUpdate.results.map((r) => r.recordId), ['1001']);

    const err = await apiError(() => hubspot.crm.lists.membershipsApi.add(listId, ['1002']));
    assert.equal(err.code, 400);
  });
});

describe('communication preferences API', () => {
  test('v3 definitions, status and unsubscribe', async () => {
    const defs = await hubspot.communicationPreferences.definitionApi.getPage();
    const id = defs.subscriptionDefinitions[0].id;
    assert.ok(id);

    const res = await hubspot.communicationPreferences.statusApi.unsubscribe({ emailAddress: 'seed.bob@example.com', subscriptionId: id });
    assert.equal(res.status, 'NOT_SUBSCRIBED');
    const status = await hubspot.communicationPreferences.statusApi.getEmailStatus('seed.bob@example.com');
    assert.equal(status.subscriptionStatuses.find((s) => s.id === id).status, 'NOT_SUBSCRIBED');
  });

  test('v4 unsubscribe-all sets hs_email_optout', async () => {
    const email = 'seed.ada@example.com';
    const path = `/communication-preferences/v4/statuses/${encodeURIComponent(email)}/unsubscribe-all?channel=EMAIL`;
    const before = await (await hubspot.apiRequest({ method: 'GET', path })).json();
    assert.deepEqual(before.results, []);

    const res = await hubspot.apiRequest({ method: 'POST', path });
    assert.equal(res.status, 200);
    const after = await (await hubspot.apiRequest({ method: 'GET', path })).json();
    assert.equal(after.results[0].wideStatusType, 'PORTAL_WIDE');
    assert.equal(after.results[0].status, 'UNSUBSCRIBED');

    const contact = await hubspot.crm.contacts.basicApi.getById('1001', ['hs_email_optout']);
    assert.equal(contact.properties.hs_email_optout, 'true');

    const err = await apiError(() => hubspot.communicationPreferences.statusApi.subscribe({ emailAddress: email, subscriptionId: '1001' }));
    assert.equal(err.code, 400);
  });
});

describe('account info API', () => {
  test('details name the portal id', async () => {
    const res = await hubspot.apiRequest({ method: 'GET', path: '/account-info/v3/details' });
    assert.equal(res.status, 200);
    const details = await res.json();
    assert.equal(details.portalId, 4000042);
    assert.equal(typeof details.timeZone, 'string');
    assert.equal(typeof details.companyCurrency, 'string');
    assert.equal(typeof details.uiDomain, 'string');
    assert.equal(typeof details.dataHostingLocation, 'string');
  });
});

describe('authentication', () => {
  test('a wrong token gets the 401 body', async () => {
    const stranger = new Client({ accessToken: 'pat-wrong', basePath: emulator.url });
    const err = await apiError(() => stranger.crm.contacts.basicApi.getPage());
    assert.equal(err.code, 401);
    assert.equal(errorBody(err).category, 'INVALID_AUTHENTICATION');
  });
});
