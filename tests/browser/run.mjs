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
// merge pages at 1400 and 390 px; the institution profile (chart, partners
// by country, collapsed evidence, partner map, the way to its ego
// network); the network at 1400 and 390 px (filters change the nodes drawn
// as the API says, a found node opens its side panel, a clicked one too,
// the ego view, downloads of what is shown); the map (filters, ranking
// table, zoom by buttons and wheel, only countries with data focusable);
// the lists' downloads (screenshots saved).

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
  // The network is drawn with WebGL: SwiftShader gives it one without a GPU.
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
    '--disable-background-networking',
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
    institutions: '/institutions', events: '/events',
  };
  for (const width of [1400, 390]) {
    await page.setViewportSize({ width, height: 900 });
    for (const [name, path] of Object.entries(pages)) {
      await page.goto(`${base}${path}`);
      if (name === 'network') await page.waitForSelector('#network[data-rendered]', { timeout: 30000 });
      if (name === 'map') await page.waitForSelector('#map[data-rendered]', { timeout: 20000 });
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
  await page.click('.facts dd a[href^="/institutions/"]');
  await page.waitForURL(/\/institutions\/\d+$/);
  const name = await page.inputValue('#edit-institution input[name=name]');
  await page.fill('#edit-institution input[name=name]', `${name} (checked)`);
  await page.fill('#edit-institution input[name=country]', 'MT');
  await page.fill('#edit-institution input[name=kind]', 'university');
  await page.fill('#edit-institution input[name=city]', 'Valletta');
  await page.click('#edit-institution button');
  expect((await notice()) === 'Saved.', 'the institution edit was not saved');
  expect((await page.textContent('.meta')).includes('Malta'), 'the country correction is not shown');
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

  // Split the absorbed page's institution off again: its button is in the
  // page's collapsed evidence, opened first as a person would.
  const evidence = page.locator('details.evidence-page:has(form[action$="/split"])').last();
  await evidence.locator('summary .count').click();
  expect(await evidence.evaluate((d) => d.open), 'the evidence of the page to split off does not open');
  await evidence.locator('form[action$="/split"] button').last().click();
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

const api = async (path) => {
  const r = await page.request.get(`${base}${path}`);
  expect(r.ok(), `GET ${path}: HTTP ${r.status()}`);
  return r.json();
};
// No sideways scrolling right now (whatever the page's state), no reload.
const fitsNow = async (what) => {
  const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  expect(scroll <= client, `${what} scrolls sideways (${scroll} > ${client})`);
};
const networkNodes = async () => {
  await page.waitForSelector('#network[data-rendered]', { timeout: 30000 });
  return Number(await page.getAttribute('#network', 'data-rendered'));
};

await step('an institution page is a profile with a way to its network', async () => {
  const top = (await api('/api/v1/institutions?limit=1')).items[0];
  const profile = await api(`/api/v1/institutions/${top.id}/profile`);
  const detail = await api(`/api/v1/institutions/${top.id}`);
  for (const width of [1400, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(`${base}/institutions/${top.id}`);
    expect(await page.locator('svg.chart rect').count() >= profile.years.length, 'the activity chart lacks years');
    const partnerRows = await page.locator('table.partners tr:has(td)').count();
    expect(partnerRows === profile.partners.length, `${partnerRows} partner rows for ${profile.partners.length} partners`);
    const withCountry = profile.partners.find((p) => p.country);
    if (withCountry) {
      const row = await page.locator('table.partners tr', { hasText: withCountry.name }).first().textContent();
      expect(!new RegExp(`\\b${withCountry.country}\\b`).test(row.replace(withCountry.name, '')), `the partner's country is a bare code: ${row}`);
    }
    const pages = new Set(detail.mentions.map((m) => m.document_id)).size;
    expect(await page.locator('details.evidence-page').count() === pages, 'not one evidence block per page');
    expect(await page.locator('details.evidence-page[open]').count() === 0, 'evidence is not collapsed');
    if (profile.partner_countries.length) {
      await page.waitForSelector('#map[data-rendered]', { timeout: 20000 });
      const shaded = Number(await page.getAttribute('#map', 'data-rendered'));
      expect(shaded > 0, 'the partner map shades no country');
    }
    await fitsNow(`the institution page at ${width}px`);
    await page.screenshot({ path: join(shots, `institution-profile-${width}.png`), fullPage: true });
  }
  await page.click('a.network-link');
  await page.waitForURL(/\/network\?ego=\d+&depth=1/);
  const n = await networkNodes();
  const expected = (await api(`/api/v1/network?ego=${top.id}&depth=1`)).nodes.length;
  expect(n === expected, `the ego network drew ${n} nodes, the API gives ${expected}`);
  expect((await page.getAttribute('#network', 'data-selected')) === `i${top.id}`, 'the ego is not selected');
  expect(await page.isVisible('#network-panel'), 'the ego has no side panel');
  expect(await page.isVisible('#network-ego'), 'the ego view does not say so');
  await page.screenshot({ path: join(shots, 'network-ego.png'), fullPage: true });
  await page.click('#ego-clear');
  await page.waitForFunction(() => !location.search.includes('ego='));
  expect(await networkNodes() === (await api('/api/v1/network')).nodes.length, 'clearing the ego does not show the whole network');
});

await step('the network: filters, search, side panel, ego view and downloads at 1400 and 390 px', async () => {
  const all = await api('/api/v1/network');
  expect(all.nodes.length > 2, `only ${all.nodes.length} nodes to test with`);
  // A filter that changes what is drawn: institution type, else least weight.
  let filter = null;
  for (const kind of ['hospital', 'university', 'research_institute']) {
    const n = (await api(`/api/v1/network?kind=${kind}`)).nodes.length;
    if (n !== all.nodes.length) { filter = ['kind', kind, n]; break; }
  }
  if (!filter) filter = ['min_weight', '2', (await api('/api/v1/network?min_weight=2')).nodes.length];
  expect(filter[2] !== all.nodes.length, 'no filter changes the network');
  for (const width of [1400, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(`${base}/network`);
    expect(await networkNodes() === all.nodes.length, 'the network does not draw every node the API gives');
    expect(await page.locator('#network-legend .legend-item').count() > 0, 'no legend');
    await page.selectOption(`#network-filters select[name=${filter[0]}]`, filter[1]);
    await page.waitForFunction(() => !document.getElementById('network').dataset.rendered);
    const filtered = await networkNodes();
    expect(filtered === filter[2], `with ${filter[0]}=${filter[1]} the network drew ${filtered} nodes, the API gives ${filter[2]}`);
    expect(page.url().includes(`${filter[0]}=${filter[1]}`), 'the address does not carry the filter');
    for (const a of await page.locator('#network-downloads a').all()) {
      const href = await a.getAttribute('href');
      expect(href.includes(`${filter[0]}=${filter[1]}`), `the download ${href} does not carry the filter`);
      const r = await page.request.get(`${base}${href}`);
      const format = await a.getAttribute('data-format');
      expect(r.status() === 200, `${href}: HTTP ${r.status()}`);
      const type = r.headers()['content-type'];
      const wanted = { gexf: 'application/gexf+xml', csv: 'text/csv', jsonl: 'application/x-ndjson' }[format];
      expect(type.startsWith(wanted), `${href}: ${type}, not ${wanted}`);
      if (format === 'gexf') {
        const body = await r.text();
        expect((body.match(/<node /g) || []).length === filtered, 'the GEXF does not hold the nodes shown');
      }
      if (format === 'jsonl') {
        const records = (await r.text()).trim().split('\n').map((l) => JSON.parse(l));
        expect(records.filter((x) => x.record === 'institution').length === filtered, 'the JSON Lines do not hold the nodes shown');
      }
    }
    await page.goto(`${base}/network`);
    await networkNodes();
    // Find a node by name: it is selected and its side panel opens.
    const target = all.nodes.find((n) => /^i\d+$/.test(n.id) && n.label.length > 3) || all.nodes[0];
    await page.fill('#network-search', target.label);
    await page.press('#network-search', 'Enter');
    await page.waitForFunction((id) => document.getElementById('network').dataset.selected === id, target.id);
    expect((await page.textContent('#network-panel h2')).trim() === target.label, 'the side panel does not name the node found');
    expect((await page.getAttribute('#network-panel a.panel-profile', 'href')) === `/institutions/${target.id.slice(1)}`, 'no link to the profile');
    await fitsNow(`the network at ${width}px with its panel`);
    await page.screenshot({ path: join(shots, `network-panel-${width}.png`), fullPage: true });
    // Click a node on the drawing: its panel opens.
    await page.click('#network-panel .panel-close');
    expect(!(await page.isVisible('#network-panel')), 'the side panel does not close');
    // The found node was zoomed to: the whole network again, then click another node.
    await page.click('#network .zoom-button[aria-label="Show the whole network"]');
    const other = all.nodes[all.nodes.length - 1];
    await page.waitForTimeout(500);
    const at = await page.evaluate((id) => document.getElementById('network').nodePosition(id), other.id);
    const box = await page.locator('#network .network-stage').boundingBox();
    expect(at && at.x >= 0 && at.x <= box.width && at.y >= 0 && at.y <= box.height, `node ${other.id} is outside the drawing: ${JSON.stringify(at)}`);
    await page.mouse.click(box.x + at.x, box.y + at.y);
    await page.waitForFunction(() => document.getElementById('network').dataset.selected, null, { timeout: 5000 });
    expect(await page.isVisible('#network-panel'), 'clicking a node opens no side panel');
    // The ego view from the panel.
    if (await page.locator('#network-panel .panel-ego').count()) {
      const id = (await page.getAttribute('#network', 'data-selected')).slice(1);
      await page.click('#network-panel .panel-ego');
      await page.waitForURL(new RegExp(`ego=${id}`));
      await page.waitForFunction(() => !document.getElementById('network').dataset.rendered);
      const ego = await networkNodes();
      expect(ego === (await api(`/api/v1/network?ego=${id}`)).nodes.length, 'the ego view draws other nodes than the API gives');
      await page.selectOption('#network-filters select[name=depth]', '2');
      await page.waitForFunction(() => !document.getElementById('network').dataset.rendered);
      const two = await networkNodes();
      expect(two === (await api(`/api/v1/network?ego=${id}&depth=2`)).nodes.length, 'two steps draw other nodes than the API gives');
    }
  }
  await page.setViewportSize({ width: 1280, height: 900 });
});

await step('the map: filters, ranking, zoom, and only countries with data in the tab order', async () => {
  const data = await api('/api/v1/countries');
  for (const width of [1400, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(`${base}/map`);
    await page.waitForSelector('#map[data-rendered]', { timeout: 20000 });
    expect(await page.locator('#map-ranking tr:has(td)').count() === data.countries.length, 'the ranking does not list every country');
    const first = await page.locator('#map-ranking tr:has(td) td').first().textContent();
    expect(first.length > 2, `the ranking shows a code, not a name: ${first}`);
    const shaded = await page.locator('#map path.country.has-data').count();
    expect(await page.locator('#map svg.world-map a').count() === shaded, 'countries without data are links');
    expect(await page.locator('#map svg.world-map path.country:not(.has-data)').evaluateAll((ps) => ps.every((p) => !p.closest('a'))), 'a country without data is focusable');
    const zoom = async () => Number(await page.getAttribute('#map svg.world-map', 'data-zoom'));
    expect(await zoom() === 1, 'the map does not start whole');
    await page.click('#map .zoom-button[aria-label="Zoom in"]');
    expect(await zoom() > 1, 'the zoom button does nothing');
    await page.click('#map .zoom-button[aria-label="Show the whole map"]');
    expect(await zoom() === 1, 'the reset button does nothing');
    const svg = await page.locator('#map svg.world-map').boundingBox();
    await page.mouse.move(svg.x + svg.width / 2, svg.y + svg.height / 2);
    await page.mouse.wheel(0, -400);
    await page.waitForFunction(() => Number(document.querySelector('#map svg.world-map').dataset.zoom) > 1);
    await fitsNow(`the map at ${width}px`);
    await page.screenshot({ path: join(shots, `map-zoom-${width}.png`), fullPage: true });
  }
  // A year filter changes the ranking as the API says.
  const years = (await api('/api/v1/summary')).events_per_year.map((y) => y[0]);
  const year = years[years.length - 1];
  const expected = (await api(`/api/v1/countries?since=${year}&until=${year}`)).countries.length;
  await page.fill('#map-filters input[name=since]', year);
  await page.fill('#map-filters input[name=until]', year);
  await page.press('#map-filters input[name=until]', 'Enter');
  await page.waitForURL(/until=/);
  await page.waitForSelector('#map[data-rendered]', { timeout: 20000 });
  expect(await page.locator('#map-ranking tr:has(td)').count() === expected, `the year filter does not rank ${expected} countries`);
  await page.setViewportSize({ width: 1280, height: 900 });
});

await step('the lists link downloads of what they show', async () => {
  await page.goto(`${base}/`);
  await page.click('#all-institutions');
  await page.waitForURL(/\/institutions$/);
  const country = (await api('/api/v1/institutions?limit=1')).items[0].country;
  await page.fill('.list-filters input[name=country]', country);
  await page.click('.list-filters button');
  await page.waitForURL(new RegExp(`country=${country}`));
  expect(await page.locator('table.institutions tr:has(td)').count() > 0, 'the filtered list is empty');
  const rows = (await api(`/api/v1/institutions?country=${country}&limit=500`)).items.length;
  for (const a of await page.locator('.list-downloads a').all()) {
    const href = await a.getAttribute('href');
    const r = await page.request.get(`${base}${href}`);
    expect(r.status() === 200, `${href}: HTTP ${r.status()}`);
    const body = await r.text();
    if (href.includes('format=csv')) {
      expect(r.headers()['content-type'].startsWith('text/csv'), `${href}: ${r.headers()['content-type']}`);
      expect(body.trim().split('\n').length - 1 === rows, `the CSV holds ${body.trim().split('\n').length - 1} rows, the list ${rows}`);
    } else {
      expect(r.headers()['content-type'] === 'application/x-ndjson', `${href}: ${r.headers()['content-type']}`);
      expect(body.trim().split('\n').length === rows, 'the JSON Lines do not hold the rows shown');
    }
  }
  await page.goto(`${base}/events`);
  const href = await page.locator('.list-downloads a').first().getAttribute('href');
  expect((await page.request.get(`${base}${href}`)).status() === 200, 'the events download fails');
  await page.screenshot({ path: join(shots, 'institutions-list.png'), fullPage: true });
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
