/* network.js: the cooperation network page.
 * Fetches #network's data-api with the filters of #network-filters (also
 * read from and written to the page's address, so a view can be linked:
 * /network?ego=12&depth=2), builds a graphology graph, lays it out with
 * ForceAtlas2 (Barnes-Hut beyond 300 nodes, in slices so the page stays
 * responsive) and draws it with sigma.js (WebGL: thousands of nodes).
 * Node size by events, colour by institution type or country (legend
 * under the drawing), line width by shared events. Find an institution by
 * name; click a node for its side panel (name, country, type, events, its
 * profile, its partners as an ego view); zoom by wheel, pinch or the
 * buttons (+, −, whole network); labels are drawn inside the
 * drawing, flipped left at its right edge. The download links carry the
 * same filters, so they give what is shown. When a layout is drawn it sets
 * #network's data-rendered to the node count.
 * The pure parts are exported for node's require(). */
(function () {
  'use strict';

  const KINDS = ['hospital', 'university', 'research_institute', 'government', 'association', 'company', 'fund', 'joint_center', 'other'];
  const KIND_COLORS = ['#1f6fb4', '#e07b12', '#2b9a3e', '#8d4cb8', '#c23b5a', '#6b5a3a', '#0f8f8f', '#b58a00', '#5f6b77'];
  const COUNTRY_COLORS = ['#1f6fb4', '#e07b12', '#2b9a3e', '#c23b5a', '#8d4cb8', '#0f8f8f', '#b58a00', '#d45087', '#6b5a3a', '#3d5a80'];
  const UNKNOWN = '#a9b0b8';
  const OTHER = '#c9ced4';
  const DIMMED = '#e4e7eb';
  const INSTITUTION_ONLY = ['kind', 'min_weight', 'ego', 'depth'];

  // Circles shrink as the network grows, so thousands stay apart.
  const nodeSize = (w, order) => {
    const scale = order > 1000 ? 0.4 : order > 300 ? 0.65 : 1;
    return Math.max(1.5, scale * Math.min(22, 3 + 1.5 * Math.sqrt(Math.max(0, w || 0))));
  };
  const edgeSize = (w) => Math.min(6, 0.5 + 0.7 * Math.sqrt(Math.max(1, w || 1)));
  const plural = (n, w) => `${n} ${w}${n === 1 ? '' : 's'}`;

  function kindColor(kind) {
    const i = KINDS.indexOf(kind);
    return i < 0 ? UNKNOWN : KIND_COLORS[i];
  }

  // The ten countries with most nodes get a colour each; the rest share one.
  function countryPalette(nodes) {
    const counts = new Map();
    for (const n of nodes) if (n.country) counts.set(n.country, (counts.get(n.country) || 0) + 1);
    const top = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, COUNTRY_COLORS.length);
    return new Map(top.map(([code], i) => [code, COUNTRY_COLORS[i]]));
  }

  function nodeColor(node, by, palette) {
    if (by === 'country') return node.country ? palette.get(node.country) || OTHER : UNKNOWN;
    return kindColor(node.kind);
  }

  // Legend rows: [colour, text, count], in the order of the palette.
  function legendEntries(nodes, by, palette, nameOf) {
    const rows = [];
    if (by === 'country') {
      for (const [code, color] of palette) rows.push([color, nameOf(code), nodes.filter((n) => n.country === code).length]);
      const other = nodes.filter((n) => n.country && !palette.has(n.country)).length;
      if (other) rows.push([OTHER, 'other countries', other]);
      const none = nodes.filter((n) => !n.country).length;
      if (none) rows.push([UNKNOWN, 'country unknown', none]);
    } else {
      KINDS.forEach((k, i) => {
        const count = nodes.filter((n) => n.kind === k).length;
        if (count) rows.push([KIND_COLORS[i], k.replace(/_/g, ' '), count]);
      });
      const none = nodes.filter((n) => !KINDS.includes(n.kind)).length;
      if (none) rows.push([UNKNOWN, 'type unknown', none]);
    }
    return rows;
  }

  // "i12" -> /institutions/12, "c-FR" -> /search?country=FR, else null.
  function nodeUrl(id) {
    let m = /^i(\d+)$/.exec(id);
    if (m) return `/institutions/${m[1]}`;
    m = /^c-([A-Za-z]{2})$/.exec(id);
    return m ? `/search?country=${m[1].toUpperCase()}` : null;
  }

  // Where a label of textWidth starts so it stays inside [0, width]: right
  // of the node, on its left near the right edge, never past either edge.
  function labelX(x, gap, textWidth, width) {
    let sx = x + gap;
    if (sx + textWidth > width - 2) sx = x - gap - textWidth;
    return Math.max(2, Math.min(sx, width - 2 - textWidth));
  }

  // The API's query for the form's values: empty values, defaults and the
  // institution filters of a country network left out.
  function apiParams(values) {
    const p = new URLSearchParams();
    const countries = values.level === 'countries';
    for (const [k, raw] of Object.entries(values)) {
      const v = raw === undefined || raw === null ? '' : String(raw).trim();
      if (!v || k === 'color') continue;
      if (k === 'level' && v === 'institutions') continue;
      if (k === 'min_weight' && v === '1') continue;
      if (countries && INSTITUTION_ONLY.includes(k)) continue;
      if (k === 'depth' && !String(values.ego || '').trim()) continue;
      p.set(k, v);
    }
    return p;
  }

  // The node whose label is `text` (any case), else the first containing it.
  function findNode(nodes, text) {
    const q = String(text || '').trim().toLowerCase();
    if (!q) return null;
    const exact = nodes.find((n) => String(n.label).toLowerCase() === q);
    if (exact) return exact.id;
    const part = nodes.find((n) => String(n.label).toLowerCase().includes(q));
    return part ? part.id : null;
  }

  const pure = { kindColor, countryPalette, nodeColor, legendEntries, nodeUrl, labelX, apiParams, findNode, nodeSize, edgeSize };
  if (typeof module === 'object' && module.exports) module.exports = pure;
  if (typeof document === 'undefined') return;

  // ---- browser part ----

  const regionNames = (() => {
    try { return new Intl.DisplayNames(['en'], { type: 'region' }); } catch (e) { return null; }
  })();
  function countryName(code) {
    try { return (regionNames && code && regionNames.of(code)) || code || ''; } catch (e) { return code || ''; }
  }

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    for (const k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // A label on the drawing: white halo, flipped to stay inside the canvas.
  function drawLabel(ctx, data, settings) {
    if (!data.label) return;
    const width = ctx.canvas.width / (window.devicePixelRatio || 1);
    const height = ctx.canvas.height / (window.devicePixelRatio || 1);
    const size = settings.labelSize;
    ctx.font = `${data.highlighted ? 600 : 400} ${size}px ${settings.labelFont}`;
    const tw = ctx.measureText(data.label).width;
    const sx = labelX(data.x, data.size + 4, tw, width);
    const sy = Math.max(size, Math.min(height - 4, data.y + size / 3));
    ctx.lineJoin = 'round';
    ctx.lineWidth = 3;
    ctx.strokeStyle = 'rgba(255,255,255,0.9)';
    ctx.strokeText(data.label, sx, sy);
    ctx.fillStyle = '#1d232b';
    ctx.fillText(data.label, sx, sy);
  }

  // The hovered node: its label on a white box, inside the canvas too.
  function drawHover(ctx, data, settings) {
    const width = ctx.canvas.width / (window.devicePixelRatio || 1);
    const size = settings.labelSize;
    ctx.font = `600 ${size}px ${settings.labelFont}`;
    const label = data.label || '';
    const tw = ctx.measureText(label).width;
    const sx = labelX(data.x, data.size + 4, tw, width);
    ctx.fillStyle = '#fff';
    ctx.shadowColor = 'rgba(0,0,0,0.25)';
    ctx.shadowBlur = 6;
    ctx.beginPath();
    ctx.arc(data.x, data.y, data.size + 2, 0, Math.PI * 2);
    ctx.fill();
    if (label) ctx.fillRect(sx - 4, data.y - size / 2 - 4, tw + 8, size + 8);
    ctx.shadowBlur = 0;
    ctx.fillStyle = '#1d232b';
    if (label) ctx.fillText(label, sx, data.y + size / 3);
  }

  function boot() {
    const root = document.getElementById('network');
    const form = document.getElementById('network-filters');
    if (!root || !form || !window.graphology || !window.Sigma || !window.forceAtlas2) return;
    const HEIGHT = Number(root.dataset.height) || 600;
    const stage = el('div', { class: 'network-stage', role: 'img', 'aria-label': 'Cooperation network' });
    stage.style.height = `${HEIGHT}px`;
    const caption = el('p', { class: 'network-caption' });
    const zoom = el('div', { class: 'network-zoom', role: 'group', 'aria-label': 'Zoom' });
    const zoomButton = (label, text, act) => {
      const b = el('button', { type: 'button', class: 'zoom-button', 'aria-label': label }, text);
      b.addEventListener('click', () => { if (renderer) act(renderer.getCamera()); });
      zoom.appendChild(b);
    };
    zoomButton('Zoom in', '+', (c) => c.animatedZoom({ duration: 200 }));
    zoomButton('Zoom out', '−', (c) => c.animatedUnzoom({ duration: 200 }));
    zoomButton('Show the whole network', '⟲', (c) => c.animatedReset({ duration: 200 }));
    const frame = el('div', { class: 'network-frame' });
    frame.append(stage, zoom);
    root.replaceChildren(frame, caption);
    const panel = document.getElementById('network-panel');
    const legendBox = document.getElementById('network-legend');
    const search = document.getElementById('network-search');
    const names = document.getElementById('network-names');
    const egoBar = document.getElementById('network-ego');
    const downloads = document.getElementById('network-downloads');

    let renderer = null, graph = null, nodes = [], selected = null, neighbours = new Set(), laying = false;
    // The drawing may be made while its box has no width yet (a page still
    // laid out, a narrow screen turned): it is redrawn once the box has one.
    if (window.ResizeObserver) {
      new ResizeObserver(() => { if (renderer && stage.offsetWidth > 0) { renderer.resize(); renderer.refresh(); } }).observe(stage);
    }
    let generation = 0, controller = null;

    // The form starts from the page's address.
    const start = new URLSearchParams(location.search);
    for (const [k, v] of start) if (form.elements[k]) form.elements[k].value = v;

    const values = () => Object.fromEntries(new FormData(form).entries());

    function showEgo(v) {
      const ego = String(v.ego || '').trim();
      form.querySelector('.ego-depth').hidden = !ego;
      egoBar.hidden = !ego;
      if (ego) {
        const n = nodes.find((x) => x.id === `i${ego}`);
        egoBar.querySelector('span').textContent =
          `Around ${n ? n.label : `institution ${ego}`}: its partners up to ${plural(Number(v.depth) || 1, 'step')}.`;
      }
    }

    function updateDownloads(v) {
      const p = apiParams(v);
      downloads.hidden = v.level === 'countries';
      for (const a of downloads.querySelectorAll('a[data-format]')) {
        const q = new URLSearchParams(p);
        q.set('format', a.dataset.format);
        a.href = `${root.dataset.export || '/api/v1/export/network'}?${q}`;
      }
    }

    function select(id) {
      selected = id && graph && graph.hasNode(id) ? id : null;
      neighbours = selected ? new Set(graph.neighbors(selected)) : new Set();
      root.dataset.selected = selected || '';
      if (renderer) renderer.refresh();
      if (!selected) { panel.hidden = true; panel.replaceChildren(); return; }
      const a = graph.getNodeAttributes(selected);
      const close = el('button', { type: 'button', class: 'panel-close', 'aria-label': 'Close' }, '×');
      close.addEventListener('click', () => select(null));
      const dl = el('dl', { class: 'props' });
      const row = (k, v) => { if (v !== '' && v !== undefined && v !== null) dl.append(el('dt', {}, k), el('dd', {}, String(v))); };
      row('Country', countryName(a.country));
      row('Type', a.kind ? a.kind.replace(/_/g, ' ') : '');
      row('City', a.city || '');
      row('Events', a.weight);
      if (a.institutions !== undefined) row('Institutions', a.institutions);
      row('Partners shown', graph.degree(selected));
      const links = el('p', { class: 'panel-links' });
      const url = nodeUrl(selected);
      if (url) links.append(el('a', { href: url, class: 'panel-profile' }, /^i/.test(selected) ? 'Open its profile' : 'Search its pages'));
      if (/^i\d+$/.test(selected)) {
        const ego = el('button', { type: 'button', class: 'panel-ego' }, 'Show its partners');
        ego.addEventListener('click', () => {
          form.elements.ego.value = selected.slice(1);
          changed();
        });
        links.append(' ', ego);
      }
      panel.replaceChildren(close, el('h2', {}, a.label), dl, links);
      panel.hidden = false;
    }

    function focus(id) {
      if (!renderer || !graph.hasNode(id)) return;
      const d = renderer.getNodeDisplayData(id);
      if (d) renderer.getCamera().animate({ x: d.x, y: d.y, ratio: Math.min(renderer.getCamera().ratio, 0.4) }, { duration: 400 });
    }

    let searched = '';
    function find() {
      // Enter, then leaving the box, would find the same node twice.
      if (search.value === searched) return;
      searched = search.value;
      const id = findNode(nodes, search.value);
      search.setCustomValidity(id || !search.value.trim() ? '' : 'No institution of that name is shown.');
      search.reportValidity();
      if (id) { select(id); focus(id); }
    }
    search.addEventListener('change', find);
    search.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); find(); } });

    function legend(v, palette) {
      const box = el('div', { class: 'legend-colors' });
      box.append(el('strong', {}, v.color === 'country' ? 'Colour: country' : 'Colour: institution type'));
      for (const [color, text, count] of legendEntries(nodes, v.color, palette, countryName)) {
        const item = el('span', { class: 'legend-item' });
        const dot = el('span', { class: 'dot' });
        dot.style.background = color;
        item.append(dot, `${text} (${count})`);
        box.append(item);
      }
      const meaning = el('p', { class: 'legend-meaning' },
        v.level === 'countries'
          ? 'Circle size: events of the country’s institutions. Line: events between two countries (thicker: more).'
          : 'Circle size: events the institution takes part in. Line: events two institutions share (thicker: more).');
      legendBox.replaceChildren(box, meaning);
    }

    async function layout(my) {
      if (graph.order < 2) return;
      const settings = window.forceAtlas2.inferSettings(graph);
      settings.barnesHutOptimize = graph.order > 300;
      // Spread the dense core; gravity keeps separate islands near it.
      settings.scalingRatio = graph.order < 500 ? 20 : 40;
      settings.gravity = 1;
      settings.strongGravityMode = true;
      const total = graph.order < 300 ? 400 : graph.order < 2000 ? 200 : 100;
      const slice = graph.order < 2000 ? 50 : 10;
      // A dense network is redrawn without its links while it moves, and
      // at most every half second: drawing is what costs, not the layout.
      laying = graph.size > 5000;
      let drawn = Date.now();
      for (let done = 0; done < total; done += slice) {
        if (my !== generation) return;
        window.forceAtlas2.assign(graph, { iterations: slice, settings });
        if (renderer && Date.now() - drawn > 500) { renderer.refresh(); drawn = Date.now(); }
        await new Promise((r) => setTimeout(r, 0));
      }
      laying = false;
      if (renderer) renderer.refresh();
    }

    async function draw(data, v, my) {
      if (renderer) { renderer.kill(); renderer = null; }
      searched = '';
      laying = false;
      nodes = (data.nodes || []).map((n) => ({ ...n, id: String(n.id) }));
      const palette = countryPalette(nodes);
      graph = new window.graphology.Graph({ type: 'undirected' });
      const order = [...nodes].sort((a, b) => (b.weight || 0) - (a.weight || 0));
      order.forEach((n, k) => {
        const r = 10 * Math.sqrt(0.5 + k), t = k * Math.PI * (3 - Math.sqrt(5));
        graph.addNode(n.id, {
          x: r * Math.cos(t), y: r * Math.sin(t), size: nodeSize(n.weight, nodes.length), label: n.label, color: nodeColor(n, v.color, palette),
          country: n.country, kind: n.kind, city: n.city, weight: n.weight, institutions: n.institutions,
        });
      });
      for (const e of data.edges || []) {
        const s = String(e.source), t = String(e.target);
        if (s === t || !graph.hasNode(s) || !graph.hasNode(t) || graph.hasEdge(s, t)) continue;
        graph.addEdge(s, t, { size: edgeSize(e.weight), weight: e.weight, color: '#b8c1cc' });
      }
      names.replaceChildren(...nodes.slice(0, 5000).map((n) => el('option', { value: n.label })));
      legend(v, palette);
      showEgo(v);
      caption.textContent = nodes.length
        ? `${plural(graph.order, v.level === 'countries' ? 'country' : 'institution')}, ${plural(graph.size, 'link')}.` + (data.note ? ` ${data.note}` : '')
        : 'Nothing matches these filters: widen them.';
      if (!nodes.length) { select(null); root.dataset.rendered = '0'; return; }
      try {
        renderer = new window.Sigma(graph, stage, {
          labelFont: 'system-ui, sans-serif', labelSize: 12, labelWeight: '400',
          labelRenderedSizeThreshold: graph.order > 500 ? 6 : 4, labelDensity: 0.6, labelGridCellSize: 120,
          defaultDrawNodeLabel: drawLabel, defaultDrawNodeHover: drawHover, zIndex: true, stagePadding: 40,
          minCameraRatio: 0.03, maxCameraRatio: 4, allowInvalidContainer: true,
          nodeReducer: (id, a) => {
            if (!selected) return a;
            if (id === selected) return { ...a, highlighted: true, forceLabel: true, zIndex: 2 };
            if (neighbours.has(id)) return { ...a, forceLabel: graph.order <= 2000 || neighbours.size < 40, zIndex: 1 };
            return { ...a, color: DIMMED, label: '', zIndex: 0 };
          },
          edgeReducer: (id, a) => {
            if (laying) return { ...a, hidden: true };
            if (!selected) return a;
            return graph.hasExtremity(id, selected) ? { ...a, color: '#5a6b80', zIndex: 1 } : { ...a, hidden: true };
          },
        });
      } catch (err) {
        root.dataset.error = String(err.message || err);
        caption.textContent = 'This browser cannot draw the network (it needs WebGL); the downloads above still hold it.';
        return;
      }
      // Where node `id` is drawn, in pixels from the drawing's top left
      // (for the browser tests, which click nodes).
      root.nodePosition = (id) => {
        const d = renderer && graph.hasNode(id) && renderer.getNodeDisplayData(id);
        return d ? renderer.framedGraphToViewport(d) : null;
      };
      renderer.on('clickNode', ({ node }) => select(node));
      renderer.on('clickStage', () => select(null));
      renderer.on('enterNode', () => { stage.style.cursor = 'pointer'; });
      renderer.on('leaveNode', () => { stage.style.cursor = ''; });
      const egoId = v.ego ? `i${String(v.ego).trim()}` : null;
      select(egoId && graph.hasNode(egoId) ? egoId : null);
      await layout(my);
      if (my === generation) root.dataset.rendered = String(graph.order);
    }

    async function load() {
      const my = ++generation;
      if (controller) controller.abort();
      controller = new AbortController();
      const v = values();
      updateDownloads(v);
      delete root.dataset.rendered;
      delete root.dataset.error;
      caption.textContent = 'Loading…';
      try {
        const r = await fetch(`${root.dataset.api}?${apiParams(v)}`, { headers: { Accept: 'application/json' }, signal: controller.signal });
        const body = await r.json();
        if (my !== generation) return;
        if (!r.ok) {
          root.dataset.error = (body.error && body.error.message) || `HTTP ${r.status}`;
          caption.textContent = root.dataset.error;
          return;
        }
        await draw(body, v, my);
      } catch (err) {
        if (err.name === 'AbortError') return;
        root.dataset.error = String(err.message || err);
        caption.textContent = `The network could not be loaded: ${root.dataset.error}`;
      }
    }

    // The address says what is shown, so a view can be shared or reloaded.
    function changed() {
      const v = values();
      const p = apiParams(v);
      if (v.color && v.color !== 'kind') p.set('color', v.color);
      history.replaceState(null, '', `${location.pathname}${p.toString() ? '?' + p : ''}`);
      load();
    }
    form.addEventListener('change', changed);
    form.addEventListener('submit', (e) => { e.preventDefault(); changed(); });
    document.getElementById('ego-clear').addEventListener('click', () => { form.elements.ego.value = ''; changed(); });
    load();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
  else boot();
})();
