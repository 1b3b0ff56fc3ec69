// Browser tests of Accord's web application, in Debian's Chromium driven by
// playwright-core. Run by scripts/browser-test, which builds the registry,
// starts the server and sets ACCORD_URL, ACCORD_TOKEN and SCREENSHOTS.
//
// Flows: overview → search → event → its evidence highlighted in the page;
// a document page (headline, main column, linked highlights, facts once);
// search by word forms, scripts and accents, with removable filter chips;
// every page at 1400 and 390 px without sideways scrolling (screenshots);
// a page with <script> in its text shows it and never runs it; sign in as
// an editor → corrects every field of an event and an institution; an
// admin merges after a preview and splits; review queues decided inline and
// in bulk; each change checked in the audit log; the review, audit and
// merge pages at 1400 and 390 px; the network and the map render
// (screenshots saved).

import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const base = process.env.ACCORD_URL;
const token = process.env.ACCORD_TOKEN;
const shots = process.env.SCREENSHOTS || 'screenshots';
if (!base || !token) {
  console.error('ACCORD_URL and ACCORD_TOKEN must be set (scripts/browser-test sets them)');
  process.exit(2);
}
mkdirSync(shots, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--no-first-run'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
const problems = [];
page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()} for ${r.url()}`); });
page.on('dialog', async (d) => { problems.push(`a dialog opened: ${d.message()}`); await d.dismiss(); });

let failures = 0;
async function step(name, body) {
  try {
    await body();
    console.log(`ok   ${name}`);
  } catch (e) {
    failures += 1;
    console.log(`FAIL ${name}: ${e.message}`);
    await page.screenshot({ path: join(shots, `failed-${name.replace(/\W+/g, '-')}.png`), fullPage: true }).catch(() => {});
  }
}
function expect(cond, message) {
  if (!cond) throw new Error(message);
}

await step('overview shows the registry', async () => {
  await page.goto(`${base}/`);
  expect((await page.textContent('h1')) === 'Overview', 'no Overview heading');
  expect(await page.locator('.cards .card').count() === 4, 'counts missing');
  expect(await page.locator('svg.chart rect').count() > 0, 'no events-per-year bars');
  await page.screenshot({ path: join(shots, 'overview.png'), fullPage: true });
});

await step('search finds an event and its evidence is highlighted in its page', async () => {
  await page.fill('header input[name=q]', 'memorandum');
  await page.press('header input[name=q]', 'Enter');
  await page.waitForURL(/\/search\?q=memorandum/);
  expect(await page.locator('.hits li').count() > 0, 'no search results');
  await page.click('.hit.event a');
  await page.waitForURL(/\/events\/\d+/);
  const evidence = await page.textContent('.source .evidence mark.fact.event');
  expect(evidence && evidence.trim().length > 10, 'the event page does not highlight its sentence');
  await page.screenshot({ path: join(shots, 'event.png'), fullPage: true });
  await page.click('.source a.open-document');
  await page.waitForURL(/\/documents\/\d+#c-\d+/);
  const anchor = new URL(page.url()).hash.slice(1);
  expect(await page.locator(`#${anchor}`).count() === 1, `the page has no anchor ${anchor}`);
  const marked = await page.locator('#document-text mark.fact.event').allTextContents();
  expect(marked.some((t) => t.includes(evidence.trim().slice(0, 20))), 'the document does not highlight the event sentence');
  expect(await page.locator('.legend .fact.org').count() === 1, 'no legend');
  await page.click('.fact-groups li.event a.to-text');
  expect(/#f-\d+$/.test(page.url()), 'clicking a fact does not jump to it');
  await page.screenshot({ path: join(shots, 'document.png'), fullPage: true });
});

await step('a document page: headline, main column, linked highlights, facts once each', async () => {
  await page.goto(`${base}/search?q=${encodeURIComponent('"memorandum of understanding"')}&kind=document`);
  await page.click('.hit.document a');
  await page.waitForURL(/\/documents\/\d+/);
  const title = (await page.textContent('h1')).trim();
  expect(!/\.(txt|html?)$/.test(title), `the title is a file name: ${title}`);
  expect(!(await page.textContent('.meta')).includes('/tmp/'), 'a server path is shown');
  expect((await page.getAttribute('#document-text', 'lang')) === 'en', 'the text has no lang');
  const textBox = await page.locator('#document-text').boundingBox();
  expect(textBox.width > 500, `the text column is ${textBox.width}px wide`);
  const labels = await page.locator('.fact-groups li.org > a:first-of-type').allTextContents();
  expect(labels.length > 0 && new Set(labels).size === labels.length, `institutions repeat: ${labels}`);
  await page.click('#document-text a.fact.org');
  await page.waitForURL(/\/institutions\/\d+/);
});

await step('search understands word forms, scripts and accents, with removable filter chips', async () => {
  for (const [q, kind] of [['hopital', 'document'], ['醫院', 'document'], ['больница', 'document']]) {
    await page.goto(`${base}/search?q=${encodeURIComponent(q)}&kind=${kind}`);
    expect(await page.locator('.hits li').count() > 0, `${q} finds nothing`);
  }
  await page.goto(`${base}/search?q=hospital&kind=event`);
  const chip = page.locator('.chips a.chip');
  expect(await chip.count() === 1, 'no chip for the active filter');
  const narrowed = (await page.textContent('#result-count')).trim();
  await chip.click();
  await page.waitForURL((u) => !u.search.includes('kind='));
  expect((await page.textContent('#result-count')).trim() !== narrowed, 'removing the chip did not widen the search');
  await page.screenshot({ path: join(shots, 'search.png'), fullPage: true });
});

await step('every page fits 1400 px and 390 px without sideways scrolling', async () => {
  const api = async (path) => (await (await page.request.get(`${base}${path}`)).json());
  const event = (await api('/api/v1/events?limit=1')).items[0].id;
  const institution = (await api('/api/v1/institutions?limit=1')).items[0].id;
  const documentId = (await api('/api/v1/search?q=memorandum&kind=document')).hits[0].id;
  const person = (await api('/api/v1/people?limit=1')).items[0].id;
  const pages = {
    overview: '/', search: '/search?q=hospital', event: `/events/${event}`,
    institution: `/institutions/${institution}`, document: `/documents/${documentId}`,
    network: '/network', map: '/map', audit: '/audit', api: '/api/docs',
    review: '/review', 'review-queue': '/review/single-source', person: `/people/${person}`, signin: '/signin',
  };
  for (const width of [1400, 390]) {
    await page.setViewportSize({ width, height: 900 });
    for (const [name, path] of Object.entries(pages)) {
      await page.goto(`${base}${path}`);
      const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
      expect(scroll <= client, `${name} at ${width}px scrolls sideways (${scroll} > ${client})`);
      await page.screenshot({ path: join(shots, `${name}-${width}.png`), fullPage: true });
    }
  }
  await page.setViewportSize({ width: 1280, height: 900 });
});

await step('a page with <script> in its text shows it and never runs it', async () => {
  await page.goto(`${base}/search?q=Harborview&kind=document`);
  await page.click('.hit.document a');
  await page.waitForURL(/\/documents\/\d+/);
  const text = await page.textContent('#document-text');
  expect(text.includes('<script>window.__accord_xss = 1</script>'), 'the script text is not shown as text');
  expect(text.includes('onerror='), 'the img text is not shown as text');
  expect(await page.evaluate(() => window.__accord_xss === undefined), 'page text ran as script');
  expect(!(await page.title()).includes('page script ran'), "the page's own script ran");
});

const adminToken = process.env.ACCORD_ADMIN_TOKEN;

async function signIn(t) {
  await page.goto(`${base}/signin`);
  await page.fill('#signin input[name=token]', t);
  await page.click('#signin button');
  await page.waitForURL(`${base}/`);
}

async function signOut() {
  await page.click('#signout');
  await page.waitForURL(`${base}/`);
}

// The notice an action left, shown once on the page it led to.
async function notice() {
  await page.waitForSelector('#notice');
  expect(!page.url().includes('flash'), `a notice travels in the address: ${page.url()}`);
  return (await page.textContent('#notice')).trim();
}

// The audit log filtered by `query`: the text of its table.
async function auditText(query) {
  await page.goto(`${base}/audit?${query}`);
  expect(await page.locator('#audit').count() === 1, `the audit log shows nothing for ${query}`);
  expect(!(await page.textContent('main')).includes('Nothing here'), 'an empty-list text above the entries');
  return page.textContent('#audit');
}

// No sideways scrolling at 1400 and 390 px; a screenshot at each.
async function fits(name) {
  for (const width of [1400, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.reload();
    const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
    expect(scroll <= client, `${name} at ${width}px scrolls sideways (${scroll} > ${client})`);
    await page.screenshot({ path: join(shots, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

await step('an editor corrects every field of an event and an institution, each in the audit log', async () => {
  await signIn(token);
  expect((await page.textContent('header .who')).includes('browser-editor'), 'not signed in');

  await page.goto(`${base}/search?q=memorandum&kind=event`);
  await page.click('.hit.event a');
  await page.waitForURL(/\/events\/\d+$/);
  const eventUrl = page.url();

  // Type, date, place and fields in one form.
  await page.selectOption('#edit-event select[name=event_type]', 'training');
  await page.fill('#edit-event input[name=date]', '2023-03-10');
  await page.fill('#edit-event input[name=city]', 'Halden');
  await page.fill('#edit-event input[name=country]', 'NO');
  await page.fill('#edit-event input[name=fields]', 'oncology, nursing');
  await page.click('#edit-event button');
  expect((await notice()) === 'Saved.', 'the event edit was not saved');
  const facts = await page.textContent('.facts');
  expect(facts.includes('Halden') && facts.includes('nursing'), 'the place and fields are not shown');
  expect((await page.inputValue('#edit-event select[name=event_type]')) === 'training', 'the type did not change');

  // An impossible date is refused with a clear message.
  await page.fill('#edit-event input[name=date]', '2024-02-31');
  await page.click('#edit-event button');
  expect((await notice()).includes('«2024-02-31» is not a date'), 'an impossible date was not refused');

  // Parties: one added by search, one taken out.
  await page.click('#edit-parties');
  await page.waitForURL(/\/parties$/);
  const before = await page.locator('#parties li').count();
  await page.fill('#party-search input[name=q]', 'Hospital');
  await page.click('#party-search button');
  await page.click('#party-candidates .add-party >> nth=0');
  expect((await notice()) === 'Saved.', 'the party was not added');
  expect(await page.locator('#parties li').count() === before + 1, 'the party list did not grow');
  await page.click('#parties .remove-party >> nth=0');
  expect((await notice()) === 'Saved.', 'the party was not taken out');
  expect(await page.locator('#parties li').count() === before, 'the party list did not shrink');
  await fits('parties');

  // Status: a rejection asks first; a confirmation does not.
  await page.goto(eventUrl);
  await page.click('#reject');
  await page.waitForSelector('#confirm-yes');
  await page.screenshot({ path: join(shots, 'confirm-reject.png'), fullPage: true });
  await page.click('#confirm-yes');
  await notice();
  expect((await page.textContent('#status')).trim() === 'rejected', 'the event is not marked rejected');
  await page.click('#confirm');
  await notice();
  expect((await page.textContent('#status')).trim() === 'confirmed', 'the event is not marked confirmed');

  // The institution: name, country, kind, city.
  await page.click('.facts dd a');
  await page.waitForURL(/\/institutions\/\d+$/);
  const name = await page.inputValue('#edit-institution input[name=name]');
  await page.fill('#edit-institution input[name=name]', `${name} (checked)`);
  await page.fill('#edit-institution input[name=country]', 'MT');
  await page.fill('#edit-institution input[name=kind]', 'university');
  await page.fill('#edit-institution input[name=city]', 'Valletta');
  await page.click('#edit-institution button');
  expect((await notice()) === 'Saved.', 'the institution edit was not saved');
  expect((await page.textContent('.meta')).includes('MT'), 'the country correction is not shown');
  expect((await page.textContent('h1')).includes('(checked)'), 'the name correction is not shown');

  const log = await auditText('user=browser-editor');
  for (const field of ['event type', 'date', 'city', 'country', 'fields', 'parties', 'status', 'name', 'kind']) {
    expect(log.includes(field), `the audit log does not show the change of ${field}`);
  }
  expect(log.includes('training') && log.includes('Halden') && log.includes('Valletta') && log.includes('(checked)'), 'the new values are not in the log');
  expect(!log.includes('2024-02-31'), 'a refused change was logged');
  expect(log.includes('browser-editor'), 'the audit log does not say who');
  await page.click('#audit a[href^="/events/"] >> nth=0');
  await page.waitForURL(/\/events\/\d+$/);
  await page.goto(`${base}/audit`);
  await fits('audit');
  await signOut();
});

await step('an admin merges after a preview and splits after a confirmation, each in the audit log', async () => {
  expect(adminToken, 'ACCORD_ADMIN_TOKEN is not set');
  await signIn(adminToken);
  const api = async (path) => (await (await page.request.get(`${base}${path}`)).json());
  const [keep, absorb] = (await api('/api/v1/institutions?limit=2')).items;
  await page.goto(`${base}/institutions/${keep.id}`);
  await page.click('#merge-by-name');
  await page.waitForURL(/\/merge$/);
  await page.fill('#merge-search input[name=q]', absorb.name);
  await page.click('#merge-search button');
  await page.click(`#merge-candidates a.preview[href$="absorb=${absorb.id}"]`);
  await page.waitForSelector('#merge-preview');
  const preview = await page.textContent('#merge-preview');
  expect(preview.includes(keep.name) && preview.includes(absorb.name), 'the preview does not show both names');
  expect(preview.includes('Pages') && preview.includes('Events') && preview.includes('Country'), 'the preview lacks counts or country');
  await fits('merge-preview');
  await page.click('#merge-yes');
  await page.waitForURL(`${base}/institutions/${keep.id}`);
  expect((await notice()) === 'Merged.', 'the merge did not happen');
  await page.goto(`${base}/institutions/${absorb.id}`);
  expect(page.url() === `${base}/institutions/${keep.id}`, `the merged-away id did not lead to the survivor: ${page.url()}`);

  // Split the absorbed page's institution off again.
  await page.click('form[action$="/split"] button >> nth=-1');
  await page.waitForSelector('#confirm-yes');
  await page.click('#confirm-yes');
  await page.waitForURL((u) => /\/institutions\/\d+$/.test(u.pathname) && !u.pathname.endsWith(`/${keep.id}`));
  await notice();

  const merges = await auditText('action=merge_institutions');
  expect(merges.includes('merged in') && merges.includes(`#${absorb.id}`), 'the audit log does not say whom the merge absorbed');
  const splits = await auditText('action=split_institution');
  expect(splits.includes('split off'), 'the audit log does not show the split');
  await signOut();
});

await step('review queues: confirm and reject rows inline, confirm in bulk, each in the audit log', async () => {
  await signIn(token);
  const api = async (path) => (await (await page.request.get(`${base}${path}`)).json());
  let queue = null;
  for (const q of ['single-source', 'no-country', 'suspicious-names', 'one-party', 'undated']) {
    if ((await api(`/api/v1/review/${q}?limit=1`)).total >= 4) { queue = q; break; }
  }
  expect(queue, 'no review queue holds four rows');
  const total = async () => (await api(`/api/v1/review/${queue}?limit=1`)).total;
  const start = await total();
  await page.goto(`${base}/review`);
  await page.click(`#queues a[href="/review/${queue}"]`);
  await page.waitForURL(new RegExp(`/review/${queue}$`));
  expect((await page.textContent('#queue-count')).includes(`of ${start}`), 'the page does not show the exact total');
  await fits('review');

  await page.click('#review .row-confirm >> nth=0');
  expect((await notice()).startsWith('Confirmed 1'), 'the row was not confirmed');
  expect(await total() === start - 1, 'a confirmed row stayed in the queue');

  await page.click('#review .row-reject >> nth=0');
  await page.waitForSelector('#confirm-yes');
  await page.click('#confirm-yes');
  expect((await notice()).startsWith('Rejected 1'), 'the row was not rejected');
  expect(await total() === start - 2, 'a rejected row stayed in the queue');

  await page.check('#review input[name=id] >> nth=0');
  await page.check('#review input[name=id] >> nth=1');
  await page.click('#bulk-confirm');
  await page.waitForSelector('#confirm-yes');
  expect((await page.textContent('#confirm-message')).includes('Confirm 2'), 'the bulk step does not say how many');
  await page.click('#confirm-yes');
  expect((await notice()).startsWith('Confirmed 2'), 'the bulk confirmation failed');
  expect(await total() === start - 4, 'bulk-confirmed rows stayed in the queue');

  const action = queue === 'no-country' || queue === 'suspicious-names' ? 'set_institution_status' : 'set_event_status';
  await page.goto(`${base}/audit?action=${action}&user=browser-editor`);
  const count = (await page.textContent('#audit-count')).trim();
  expect(/ of [4-9]\d*$/.test(count) || / of \d{2,}$/.test(count), `four decisions are not in the audit log (${count})`);
  const log = await page.textContent('#audit');
  expect(log.includes('confirmed') && log.includes('rejected'), 'the decisions are not in the audit log');
  await signOut();
});

await step('the API documentation is drawn from the OpenAPI document', async () => {
  await page.goto(`${base}/`);
  await page.click('header nav a[href="/api/docs"]');
  await page.waitForURL(/\/api\/docs$/);
  await page.waitForSelector('#swagger-ui .opblock', { timeout: 20000 });
  const operations = await page.locator('#swagger-ui .opblock').count();
  expect(operations >= 5, `only ${operations} operations shown`);
  expect((await page.textContent('#swagger-ui')).includes('/search'), 'the search operation is missing');
  await page.screenshot({ path: join(shots, 'api-docs.png'), fullPage: true });
});

await step('the network renders with nodes', async () => {
  await page.goto(`${base}/network`);
  await page.waitForSelector('#network[data-rendered]', { timeout: 20000 });
  const n = Number(await page.getAttribute('#network', 'data-rendered'));
  expect(n > 0, `the network drew ${n} nodes`);
  await page.screenshot({ path: join(shots, 'network.png'), fullPage: true });
});

await step('the map renders with shaded countries', async () => {
  await page.goto(`${base}/map`);
  await page.waitForSelector('#map[data-rendered]', { timeout: 20000 });
  const shaded = await page.locator('#map path.country.has-data').count();
  expect(shaded > 0, 'no country is shaded');
  await page.screenshot({ path: join(shots, 'map.png'), fullPage: true });
});

await browser.close();
for (const p of problems) console.log(`note ${p}`);
const errors = problems.filter((p) => !p.includes('favicon'));
if (errors.length) {
  failures += 1;
  console.log('FAIL the pages logged errors');
}
console.log(failures ? `${failures} browser test(s) failed` : 'all browser tests passed');
process.exit(failures ? 1 : 0);
