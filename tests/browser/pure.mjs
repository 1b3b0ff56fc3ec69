// The pure parts of network.js and map.js, in node (run by scripts/browser-test
// before the browser): labels kept inside the drawing, the API query built
// from the filters, node search, the map's zoom box.

import { createRequire } from 'node:module';
import assert from 'node:assert/strict';

const require = createRequire(import.meta.url);
const net = require('../../crates/accord-serve/static/network.js');
const map = require('../../crates/accord-serve/static/map.js');

// A label right of its node, flipped left at the right edge, never past either edge.
assert.equal(net.labelX(100, 6, 50, 800), 106);
assert.equal(net.labelX(780, 6, 50, 800), 724);
assert.equal(net.labelX(20, 6, 300, 200), 2, 'a label wider than the room starts at the left edge');
for (const x of [0, 10, 400, 790, 800]) {
  const sx = net.labelX(x, 8, 120, 800);
  assert.ok(sx >= 2 && sx + 120 <= 798, `label at ${x} is clipped: ${sx}`);
}

// The filters as the API's query: defaults and empty values left out,
// institution filters dropped for countries, depth only with an ego.
assert.equal(net.apiParams({ level: 'institutions', since: '2020', until: '', type: '', kind: 'hospital', min_weight: '1', color: 'kind', ego: '', depth: '2' }).toString(),
  'since=2020&kind=hospital');
assert.equal(net.apiParams({ level: 'countries', kind: 'hospital', min_weight: '3', ego: '4', depth: '2', type: 'visit' }).toString(),
  'level=countries&type=visit');
assert.equal(net.apiParams({ ego: '12', depth: '2', min_weight: '2' }).toString(), 'ego=12&depth=2&min_weight=2');

// Node search: exact name (any case) first, else the first containing the words.
const nodes = [{ id: 'i1', label: 'Rivertown University Hospital' }, { id: 'i2', label: 'Rivertown Clinic' }, { id: 'i3', label: 'rivertown clinic annex' }];
assert.equal(net.findNode(nodes, 'RIVERTOWN CLINIC'), 'i2');
assert.equal(net.findNode(nodes, 'annex'), 'i3');
assert.equal(net.findNode(nodes, 'Lakeside'), null);
assert.equal(net.findNode(nodes, '  '), null);

// Circles shrink as the network grows.
assert.ok(net.nodeSize(50, 3000) < net.nodeSize(50, 100));
assert.ok(net.nodeSize(0, 5000) >= 1.5);

// Colours: kinds have fixed ones; the ten countries with most nodes one each.
assert.notEqual(net.kindColor('hospital'), net.kindColor('university'));
const many = Array.from({ length: 12 }, (_, i) => ({ country: `C${String.fromCharCode(65 + i)}` }));
assert.equal(net.countryPalette(many).size, 10);

// Map zoom: about a point, within the world, never wider than it.
const full = [0, 0, 200, 100];
assert.deepEqual(map.zoomBox(full, 2, 100, 50, full), [50, 25, 100, 50]);
assert.deepEqual(map.zoomBox(full, 0.5, 100, 50, full), full, 'zooming out stops at the whole map');
assert.deepEqual(map.clampBox([-30, 80, 100, 50], full), [0, 50, 100, 50]);
const deep = map.zoomBox(full, 1000, 10, 10, full);
assert.equal(deep[2], 5, 'zooming in stops at a 40th of the width');

console.log('ok   network.js and map.js pure parts');
