/* map.js: the world map page.
 * Reads #map's data-api (country counts and partner links), data-geometry
 * (a TopoJSON world, world-110m.json) and data-iso (numeric -> alpha-2 codes,
 * default /static/iso-numeric.json); draws an inline SVG in a Natural Earth
 * projection, shades countries by event count (log scale), draws partner
 * links as curves between centroids, and adds a legend. Only countries with
 * data are links (and so in the tab order). Zoom by the buttons, the wheel,
 * a pinch or the keyboard (+, −, 0), pan by dragging. On the map page the
 * filters of #map-filters (years, event type, field; also in the address)
 * re-fetch the data, and #map-ranking gets the table of countries; with
 * data-compact (an institution's partner countries) there are neither.
 * When done it sets #map's data-rendered to the number of shaded countries.
 * The pure parts (TopoJSON decoding, projection, centroids, colour scale)
 * are exported for node when loaded with require(). */
(function () {
  'use strict';

  const SVG_NS = 'http://www.w3.org/2000/svg';
  const SCALE = 160;                        // projected radians -> SVG units
  const NO_DATA = '#e4e4e4';
  const RAMP = ['#dbe9f6', '#9ecae1', '#4a98c9', '#1764ab', '#08306b'];
  const SKIP = new Set(['AQ']);             // Antarctica only wastes space here
  const BY_NAME = { Kosovo: 'XK' };         // features without a numeric id

  // TopoJSON: quantized, delta-encoded arcs -> absolute [lon, lat] arrays.
  function decodeArcs(topology) {
    const t = topology.transform;
    return topology.arcs.map((arc) => {
      let x = 0, y = 0;
      return arc.map((p) => {
        if (!t) return [p[0], p[1]];
        x += p[0]; y += p[1];
        return [x * t.scale[0] + t.translate[0], y * t.scale[1] + t.translate[1]];
      });
    });
  }

  // A ring is a list of arc indexes; ~i means arc i reversed.
  function ringCoords(indexes, arcs) {
    const out = [];
    for (const i of indexes) {
      const arc = i >= 0 ? arcs[i] : arcs[~i].slice().reverse();
      for (let k = out.length ? 1 : 0; k < arc.length; k++) out.push(arc[k]);
    }
    return out;
  }

  // Geometry object -> list of polygons, each a list of rings of [lon, lat].
  function geometryPolygons(geom, arcs) {
    if (geom.type === 'Polygon') return [geom.arcs.map((r) => ringCoords(r, arcs))];
    if (geom.type === 'MultiPolygon') {
      return geom.arcs.map((poly) => poly.map((r) => ringCoords(r, arcs)));
    }
    return [];
  }

  // Rings crossing the antimeridian (Fiji, Chukotka) jump from +180 to -180:
  // unwrap their longitudes, then clip a copy on each side to [-180, 180].
  function unwrap(ring) {
    const out = [ring[0]];
    let off = 0;
    for (let i = 1; i < ring.length; i++) {
      const d = ring[i][0] - ring[i - 1][0];
      if (d > 180) off -= 360; else if (d < -180) off += 360;
      out.push([ring[i][0] + off, ring[i][1]]);
    }
    return out;
  }

  // Sutherland-Hodgman against lon >= lo and lon <= hi.
  function clipLon(ring, lo, hi) {
    const edge = (pts, inside, cut) => {
      const out = [];
      for (let i = 0; i < pts.length; i++) {
        const a = pts[i], b = pts[(i + 1) % pts.length];
        if (inside(a)) out.push(a);
        if (inside(a) !== inside(b)) {
          const t = (cut - a[0]) / (b[0] - a[0]);
          out.push([cut, a[1] + t * (b[1] - a[1])]);
        }
      }
      return out;
    };
    return edge(edge(ring, (p) => p[0] >= lo, lo), (p) => p[0] <= hi, hi);
  }

  function splitAntimeridian(poly) {
    const jumps = (r) => r.some((p, i) => i > 0 && Math.abs(p[0] - r[i - 1][0]) > 180);
    if (!poly.some(jumps)) return [poly];
    const u = poly.map(unwrap);
    if (u.some((r) => Math.abs(r[r.length - 1][0] - r[0][0]) > 180)) return [poly]; // circles a pole
    const out = [];
    for (const s of [-360, 0, 360]) {
      const rings = u.map((r) => clipLon(r.map((p) => [p[0] + s, p[1]]), -180, 180));
      if (rings[0].length >= 3) out.push(rings.filter((r) => r.length >= 3));
    }
    return out;
  }

  // Natural Earth I (Šavrič et al. 2011): degrees -> SVG units, y downwards.
  function project(lon, lat) {
    const l = lon * Math.PI / 180, p = lat * Math.PI / 180;
    const p2 = p * p, p4 = p2 * p2;
    const x = l * (0.8707 - 0.131979 * p2 + p4 * (-0.013791 + p4 * (0.003971 * p2 - 0.001529 * p4)));
    const y = p * (1.007226 + p2 * (0.015085 + p4 * (-0.044475 + 0.028874 * p2 - 0.005916 * p4)));
    return [x * SCALE, -y * SCALE];
  }

  // Shoelace area (signed) and centroid of a projected ring.
  function ringAreaCentroid(pts) {
    let a = 0, cx = 0, cy = 0;
    for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
      const f = pts[j][0] * pts[i][1] - pts[i][0] * pts[j][1];
      a += f;
      cx += (pts[j][0] + pts[i][0]) * f;
      cy += (pts[j][1] + pts[i][1]) * f;
    }
    if (Math.abs(a) < 1e-12) return { area: 0, centroid: pts[0] || [0, 0] };
    return { area: Math.abs(a / 2), centroid: [cx / (3 * a), cy / (3 * a)] };
  }

  // Centroid of the largest outer ring among projected polygons.
  function largestRingCentroid(projectedPolys) {
    let best = null;
    for (const poly of projectedPolys) {
      if (!poly.length) continue;
      const r = ringAreaCentroid(poly[0]);
      if (!best || r.area > best.area) best = r;
    }
    return best ? best.centroid : null;
  }

  function ringPath(pts) {
    return 'M' + pts.map((p) => p[0].toFixed(1) + ',' + p[1].toFixed(1)).join('L') + 'Z';
  }

  // Sequential colour: t in [0, 1] -> hex colour along RAMP.
  function rampColor(t) {
    t = Math.max(0, Math.min(1, t)) * (RAMP.length - 1);
    const i = Math.min(RAMP.length - 2, Math.floor(t)), f = t - i;
    const a = hexRgb(RAMP[i]), b = hexRgb(RAMP[i + 1]);
    return '#' + a.map((v, k) => Math.round(v + (b[k] - v) * f).toString(16).padStart(2, '0')).join('');
  }
  function hexRgb(h) { return [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)); }

  // Log scale: 0 events -> 0, max -> 1.
  function logScale(v, max) { return max > 0 ? Math.log1p(Math.max(0, v)) / Math.log1p(max) : 0; }

  // Quadratic curve between two points, bowed to one side by a fifth of its length.
  function curvePath(a, b) {
    const mx = (a[0] + b[0]) / 2, my = (a[1] + b[1]) / 2;
    const dx = b[0] - a[0], dy = b[1] - a[1];
    const cx = mx - dy * 0.2, cy = my + dx * 0.2;
    return `M${a[0].toFixed(1)},${a[1].toFixed(1)}Q${cx.toFixed(1)},${cy.toFixed(1)} ${b[0].toFixed(1)},${b[1].toFixed(1)}`;
  }

  // Topology + numeric->alpha-2 table -> [{code, name, d, centroid, polys}].
  function buildFeatures(topology, isoNumeric) {
    const arcs = decodeArcs(topology);
    const key = Object.keys(topology.objects).includes('countries') ? 'countries' : Object.keys(topology.objects)[0];
    const out = [];
    for (const g of topology.objects[key].geometries) {
      const name = (g.properties && g.properties.name) || '';
      const code = g.id !== undefined ? isoNumeric[String(g.id).padStart(3, '0')] : BY_NAME[name];
      if (SKIP.has(code)) continue;
      const polys = geometryPolygons(g, arcs).flatMap(splitAntimeridian).map((poly) => poly.map((ring) => ring.map((p) => project(p[0], p[1]))));
      if (!polys.length) continue;
      const d = polys.map((poly) => poly.map(ringPath).join('')).join('');
      out.push({ code: code || null, name, d, centroid: largestRingCentroid(polys), polys });
    }
    return out;
  }

  function bounds(features) {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const f of features) for (const poly of f.polys) for (const p of poly[0]) {
      if (p[0] < x0) x0 = p[0]; if (p[0] > x1) x1 = p[0];
      if (p[1] < y0) y0 = p[1]; if (p[1] > y1) y1 = p[1];
    }
    return [x0, y0, x1, y1];
  }

  // The viewBox [x, y, w, h] zoomed by `factor` (> 1 closer) about the point
  // (px, py), kept within `full` and never wider than it or narrower than a 40th.
  function zoomBox(box, factor, px, py, full) {
    const w = Math.min(full[2], Math.max(full[2] / 40, box[2] / factor));
    const h = w * full[3] / full[2];
    const x = px - (px - box[0]) * (w / box[2]);
    const y = py - (py - box[1]) * (h / box[3]);
    return clampBox([x, y, w, h], full);
  }

  // A viewBox moved back inside `full`.
  function clampBox(box, full) {
    const [w, h] = [box[2], box[3]];
    const x = Math.min(Math.max(box[0], full[0]), full[0] + full[2] - w);
    const y = Math.min(Math.max(box[1], full[1]), full[1] + full[3] - h);
    return [x, y, w, h];
  }

  const pure = { decodeArcs, ringCoords, geometryPolygons, splitAntimeridian, clipLon, project, ringAreaCentroid,
    largestRingCentroid, rampColor, logScale, curvePath, buildFeatures, bounds, zoomBox, clampBox };
  if (typeof module === 'object' && module.exports) module.exports = pure;
  if (typeof document === 'undefined') return;

  // ---- browser part ----

  function el(name, attrs, parent) {
    const e = document.createElementNS(SVG_NS, name);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }

  function html(tag, attrs, text) {
    const e = document.createElement(tag);
    for (const k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  const regionNames = (() => {
    try { return new Intl.DisplayNames(['en'], { type: 'region' }); } catch (e) { return null; }
  })();
  function countryName(code, fallback) {
    try { return (regionNames && code && regionNames.of(code)) || fallback || code; } catch (e) { return fallback || code; }
  }
  const plural = (n, w) => `${n} ${w}${n === 1 ? '' : 's'}`;

  async function getJSON(url) {
    const r = await fetch(url, { headers: { Accept: 'application/json' } });
    if (!r.ok) {
      let message = `HTTP ${r.status}`;
      try { const body = await r.json(); message = (body.error && body.error.message) || message; } catch (e) { /* not JSON */ }
      throw new Error(message);
    }
    return r.json();
  }

  // A fixed-size legend under the map, readable whatever the map's width.
  function legend(max, links) {
    const svg = el('svg', { class: 'map-legend', width: 360, height: 32, viewBox: '0 0 360 32', 'font-size': '11', fill: '#333' });
    el('text', { x: 0, y: 13 }, svg).textContent = 'Events';
    for (let i = 0; i < 5; i++) el('rect', { x: 46 + i * 22, y: 4, width: 22, height: 10, fill: rampColor(i / 4) }, svg);
    el('text', { x: 46, y: 28 }, svg).textContent = '0';
    el('text', { x: 156, y: 28, 'text-anchor': 'end' }, svg).textContent = `${max} (log scale)`;
    el('rect', { x: 174, y: 4, width: 22, height: 10, fill: NO_DATA }, svg);
    el('text', { x: 200, y: 13 }, svg).textContent = 'no data';
    if (links) {
      el('path', { d: 'M256,14q11,-9 22,0', fill: 'none', stroke: '#d9480f', 'stroke-width': 2 }, svg);
      el('text', { x: 282, y: 13 }, svg).textContent = 'partner link';
    }
    return svg;
  }

  // Zoom and pan of the SVG's viewBox: buttons, wheel, pinch, drag, keys.
  function zoomable(svg, full, controls) {
    let box = full.slice();
    const set = (b) => { box = b; svg.setAttribute('viewBox', box.map((v) => v.toFixed(1)).join(' ')); svg.dataset.zoom = (full[2] / box[2]).toFixed(2); };
    const toSvg = (cx, cy) => {
      const r = svg.getBoundingClientRect();
      return [box[0] + (cx - r.left) / r.width * box[2], box[1] + (cy - r.top) / r.height * box[3]];
    };
    const centre = () => [box[0] + box[2] / 2, box[1] + box[3] / 2];
    const zoom = (f, p) => { const [px, py] = p || centre(); set(zoomBox(box, f, px, py, full)); };
    const button = (label, text, act) => {
      const b = html('button', { type: 'button', 'aria-label': label, class: 'zoom-button' }, text);
      b.addEventListener('click', act);
      controls.appendChild(b);
      return b;
    };
    button('Zoom in', '+', () => zoom(1.6));
    button('Zoom out', '−', () => zoom(1 / 1.6));
    button('Show the whole map', '⟲', () => set(full.slice()));
    svg.addEventListener('wheel', (e) => {
      e.preventDefault();
      zoom(Math.exp(-e.deltaY * 0.0015), toSvg(e.clientX, e.clientY));
    }, { passive: false });
    const pointers = new Map();
    let pinch = 0, moved = false;
    svg.addEventListener('pointerdown', (e) => {
      pointers.set(e.pointerId, [e.clientX, e.clientY]);
      moved = false;
      if (pointers.size === 2) { const [a, b] = [...pointers.values()]; pinch = Math.hypot(a[0] - b[0], a[1] - b[1]); }
    });
    svg.addEventListener('pointermove', (e) => {
      if (!pointers.has(e.pointerId)) return;
      const last = pointers.get(e.pointerId);
      pointers.set(e.pointerId, [e.clientX, e.clientY]);
      if (pointers.size === 2) {
        const [a, b] = [...pointers.values()];
        const d = Math.hypot(a[0] - b[0], a[1] - b[1]);
        if (pinch > 0 && d > 0) zoom(d / pinch, toSvg((a[0] + b[0]) / 2, (a[1] + b[1]) / 2));
        pinch = d;
        moved = true;
      } else if (pointers.size === 1 && box[2] < full[2]) {
        const r = svg.getBoundingClientRect();
        const dx = (e.clientX - last[0]) / r.width * box[2], dy = (e.clientY - last[1]) / r.height * box[3];
        if (Math.abs(dx) + Math.abs(dy) > 0) moved = true;
        set(clampBox([box[0] - dx, box[1] - dy, box[2], box[3]], full));
      }
    });
    const up = (e) => { pointers.delete(e.pointerId); if (pointers.size < 2) pinch = 0; };
    svg.addEventListener('pointerup', up);
    svg.addEventListener('pointercancel', up);
    // A drag is not a click on the country under it.
    svg.addEventListener('click', (e) => { if (moved) { e.preventDefault(); moved = false; } }, true);
    svg.addEventListener('keydown', (e) => {
      if (e.key === '+' || e.key === '=') zoom(1.6);
      else if (e.key === '-') zoom(1 / 1.6);
      else if (e.key === '0') set(full.slice());
    });
    set(full.slice());
  }

  function ranking(box, stats) {
    const rows = [...stats.values()].sort((a, b) => (b.events || 0) - (a.events || 0) || (a.code < b.code ? -1 : 1));
    if (!rows.length) { box.replaceChildren(html('p', { class: 'muted' }, 'No country matches these filters.')); return; }
    const table = html('table', { class: 'ranking' });
    const head = html('tr');
    for (const t of ['Country', 'Events', 'Institutions']) head.appendChild(html('th', { scope: 'col' }, t));
    table.appendChild(head);
    for (const c of rows) {
      const tr = html('tr');
      const td = html('td');
      td.appendChild(html('a', { href: `/search?country=${encodeURIComponent(c.code)}` }, countryName(c.code)));
      tr.append(td, html('td', { class: 'num' }, String(c.events || 0)), html('td', { class: 'num' }, String(c.institutions || 0)));
      table.appendChild(tr);
    }
    box.replaceChildren(table);
  }

  function render(root, topology, iso, data) {
    const compact = !!root.dataset.compact;
    const features = buildFeatures(topology, iso);
    const stats = new Map((data.countries || []).map((c) => [String(c.code).toUpperCase(), c]));
    const max = Math.max(0, ...[...stats.values()].map((c) => c.events || 0));
    const b = bounds(features);
    const pad = 4;
    const full = [b[0] - pad, b[1] - pad, b[2] - b[0] + 2 * pad, b[3] - b[1] + 2 * pad];
    const svg = el('svg', {
      class: 'world-map', width: '100%', role: 'img', tabindex: '0',
      'aria-label': compact ? 'World map of partner countries (+ and − zoom)' : 'World map of events by country (+ and − zoom)',
    });
    const countries = el('g', { class: 'countries', stroke: '#fff', 'stroke-width': '0.4' }, svg);
    const centroids = new Map();
    const shaded = new Set();
    const noun = compact ? 'shared event' : 'event';
    for (const f of features) {
      const s = f.code && stats.get(f.code);
      const name = countryName(f.code, f.name);
      // Only countries with data are links: the others stay out of the tab order.
      const parent = s ? el('a', { href: `/search?country=${encodeURIComponent(f.code)}` }, countries) : countries;
      const path = el('path', { d: f.d, class: s ? 'country has-data' : 'country', fill: s ? rampColor(logScale(s.events || 0, max)) : NO_DATA }, parent);
      if (s) { path.setAttribute('data-code', f.code); shaded.add(f.code); }
      el('title', {}, path).textContent = s
        ? `${name}: ${plural(s.events || 0, noun)}, ${plural(s.institutions || 0, compact ? 'partner' : 'institution')}`
        : `${name}: no data`;
      if (f.code && f.centroid && !centroids.has(f.code)) centroids.set(f.code, f.centroid);
    }
    const links = (data.links || []).filter((l) => centroids.has(l.a) && centroids.has(l.b) && l.a !== l.b);
    const maxW = Math.max(1, ...links.map((l) => l.weight || 1));
    const lg = el('g', { class: 'links', fill: 'none', stroke: '#d9480f', 'stroke-opacity': '0.55', 'stroke-linecap': 'round' }, svg);
    for (const l of links.sort((p, q) => (p.weight || 1) - (q.weight || 1))) {
      const [a, c] = l.a < l.b ? [l.a, l.b] : [l.b, l.a];
      const p = el('path', { d: curvePath(centroids.get(a), centroids.get(c)), 'stroke-width': (0.8 + 3.2 * Math.sqrt((l.weight || 1) / maxW)).toFixed(2), 'vector-effect': 'non-scaling-stroke' }, lg);
      el('title', {}, p).textContent = `${countryName(a)} – ${countryName(c)}: ${plural(l.weight || 1, 'shared event')}`;
    }
    const frame = html('div', { class: 'map-frame' });
    const controls = html('div', { class: 'map-zoom', role: 'group', 'aria-label': 'Zoom' });
    frame.append(svg, controls);
    root.replaceChildren(frame, legend(max, links.length > 0));
    zoomable(svg, full, controls);
    const off = [...stats.keys()].filter((c) => !shaded.has(c) && c);
    if (off.length) {
      const p = html('p', { class: 'map-offmap' });
      p.append('Not on this map: ');
      off.forEach((c, i) => {
        const a = html('a', { href: `/search?country=${encodeURIComponent(c)}` }, `${countryName(c)} (${plural(stats.get(c).events || 0, noun)})`);
        p.append(i ? ', ' : '', a);
      });
      root.appendChild(p);
    }
    const table = document.getElementById('map-ranking');
    if (table && !compact) ranking(table, stats);
    root.dataset.rendered = String(shaded.size);
  }

  // The map page's filters as the API's query, empty ones left out.
  function filterQuery(form) {
    const p = new URLSearchParams();
    if (!form) return p;
    for (const [k, v] of new FormData(form)) if (String(v).trim()) p.set(k, String(v).trim());
    return p;
  }

  async function boot() {
    const root = document.getElementById('map');
    if (!root) return;
    const form = document.getElementById('map-filters');
    const iso = root.dataset.iso || '/static/iso-numeric.json';
    if (form) for (const [k, v] of new URLSearchParams(location.search)) if (form.elements[k]) form.elements[k].value = v;
    let geometry = null;
    let generation = 0;
    async function load() {
      const my = ++generation;
      delete root.dataset.rendered;
      delete root.dataset.error;
      const query = filterQuery(form);
      try {
        geometry = geometry || await Promise.all([getJSON(root.dataset.geometry || '/static/world-110m.json'), getJSON(iso)]);
        const data = await getJSON(`${root.dataset.api || '/api/v1/countries'}${query.toString() ? '?' + query : ''}`);
        if (my === generation) render(root, geometry[0], geometry[1], data);
      } catch (err) {
        if (my !== generation) return;
        root.dataset.error = String(err.message || err);
        const p = html('p', { class: 'flash error' }, 'The map could not be loaded: ' + (err.message || err));
        root.replaceChildren(p);
      }
    }
    if (form) {
      const changed = () => {
        const q = filterQuery(form);
        history.replaceState(null, '', `${location.pathname}${q.toString() ? '?' + q : ''}`);
        load();
      };
      form.addEventListener('change', changed);
      form.addEventListener('submit', (e) => { e.preventDefault(); changed(); });
    }
    load();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
  else boot();
})();
