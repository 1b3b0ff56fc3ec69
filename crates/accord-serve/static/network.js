/* network.js: the cooperation network page.
 * Fetches #network's data-api ({nodes, edges}), lays the graph out with a
 * force simulation of its own (springs on edges, many-body repulsion made
 * cheap by a grid: exact between neighbouring cells, cell-to-cell beyond),
 * and draws it on a canvas: node size by sqrt(weight), colour by country,
 * labels for the heaviest nodes and the hovered one, drag to pan, wheel to
 * zoom, click a node to open it. Re-fetches when #network-filters changes.
 * When a layout is drawn it sets #network's data-rendered to the node count.
 * The pure parts (layout, colour, urls) are exported for node's require(). */
(function () {
  'use strict';

  const ITERATIONS = 300;
  const CHARGE = -30;          // many-body strength (d3-force's convention)
  const LINK_DISTANCE = 30;
  const GRAVITY = 0.02;        // pull towards the centre, keeps islands near
  const DMAX = 300;            // no repulsion beyond this distance (d3's distanceMax)
  const TOP_LABELS = 30;

  const radius = (w) => 3 + 2 * Math.sqrt(Math.max(0, w || 0));

  // Country code -> colour: FNV-1a hash spread over the hue circle.
  function countryColor(code) {
    let h = 2166136261;
    for (const ch of String(code || '')) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
    if (!code) return 'hsl(0, 0%, 55%)';
    return `hsl(${Math.round(((h >>> 0) * 137.508) % 360)}, 62%, 48%)`;
  }

  // "i12" -> /institutions/12, "c-FR" -> /search?country=FR, else null.
  function nodeUrl(id) {
    let m = /^i(\d+)$/.exec(id);
    if (m) return `/institutions/${m[1]}`;
    m = /^c-([A-Za-z]{2})$/.exec(id);
    return m ? `/search?country=${m[1].toUpperCase()}` : null;
  }

  function createLayout(nodes, edges) {
    const n = nodes.length;
    const index = new Map(nodes.map((d, i) => [String(d.id), i]));
    const r = Float64Array.from(nodes, (d) => radius(d.weight));
    const good = edges.filter((e) => index.has(String(e.source)) && index.has(String(e.target)) && e.source !== e.target);
    const m = good.length;
    const src = new Int32Array(m), tgt = new Int32Array(m), deg = new Int32Array(n);
    good.forEach((e, k) => { src[k] = index.get(String(e.source)); tgt[k] = index.get(String(e.target)); deg[src[k]]++; deg[tgt[k]]++; });
    const strength = new Float64Array(m), bias = new Float64Array(m), dist = new Float64Array(m);
    const weight = Float64Array.from(good, (e) => Math.max(1, e.weight || 1));
    for (let k = 0; k < m; k++) {
      const a = deg[src[k]], b = deg[tgt[k]];
      strength[k] = 1 / Math.min(a, b);
      bias[k] = a / (a + b);
      dist[k] = LINK_DISTANCE + r[src[k]] + r[tgt[k]];
    }
    // Phyllotaxis start, heaviest nodes in the middle: deterministic.
    const order = [...nodes.keys()].sort((a, b) => (nodes[b].weight || 0) - (nodes[a].weight || 0));
    const x = new Float64Array(n), y = new Float64Array(n);
    order.forEach((i, k) => {
      const rad = 10 * Math.sqrt(0.5 + k), ang = k * Math.PI * (3 - Math.sqrt(5));
      x[i] = rad * Math.cos(ang); y[i] = rad * Math.sin(ang);
    });
    return { n, m, x, y, vx: new Float64Array(n), vy: new Float64Array(n), r, src, tgt, weight, strength, bias, dist,
      alpha: 1, alphaDecay: 1 - Math.pow(0.001, 1 / ITERATIONS), ticks: 0, order };
  }

  function applyLinks(L) {
    const { x, y, vx, vy, src, tgt, strength, bias, dist, alpha } = L;
    for (let k = 0; k < L.m; k++) {
      const s = src[k], t = tgt[k];
      let dx = x[t] + vx[t] - x[s] - vx[s] || 1e-6, dy = y[t] + vy[t] - y[s] - vy[s] || 1e-6;
      const l = Math.sqrt(dx * dx + dy * dy);
      const f = (l - dist[k]) / l * alpha * strength[k];
      dx *= f; dy *= f;
      vx[t] -= dx * bias[k]; vy[t] -= dy * bias[k];
      vx[s] += dx * (1 - bias[k]); vy[s] += dy * (1 - bias[k]);
    }
  }

  // Repulsion F = CHARGE * alpha / d up to DMAX: exact for pairs in the same
  // or adjacent grid cells, cell centroid to cell centroid for the rest.
  function applyCharge(L) {
    const { n, x, y, vx, vy } = L;
    const s = CHARGE * L.alpha;
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (let i = 0; i < n; i++) {
      if (x[i] < x0) x0 = x[i]; if (x[i] > x1) x1 = x[i];
      if (y[i] < y0) y0 = y[i]; if (y[i] > y1) y1 = y[i];
    }
    const G = Math.max(1, Math.min(32, Math.ceil(Math.sqrt(n / 8))));
    const cw = (x1 - x0) / G || 1, ch = (y1 - y0) / G || 1;
    const cell = new Int32Array(n), count = new Int32Array(G * G + 1);
    const cx = new Float64Array(G * G), cy = new Float64Array(G * G);
    for (let i = 0; i < n; i++) {
      const c = Math.min(G - 1, ((x[i] - x0) / cw) | 0) + G * Math.min(G - 1, ((y[i] - y0) / ch) | 0);
      cell[i] = c; count[c + 1]++; cx[c] += x[i]; cy[c] += y[i];
    }
    for (let c = 0; c < G * G; c++) count[c + 1] += count[c];     // prefix sums: start of each cell
    const items = new Int32Array(n), fill = count.slice(0, G * G);
    for (let i = 0; i < n; i++) items[fill[cell[i]]++] = i;
    const pair = (i, j) => {
      let dx = x[j] - x[i], dy = y[j] - y[i];
      if (dx === 0 && dy === 0) { dx = ((i * 7919 + j) % 13 - 6) * 1e-3; dy = ((j * 7919 + i) % 11 - 5) * 1e-3; }
      const l2 = Math.max(dx * dx + dy * dy, 1);
      if (l2 > DMAX * DMAX) return;
      const f = s / l2;
      vx[i] += dx * f; vy[i] += dy * f; vx[j] -= dx * f; vy[j] -= dy * f;
    };
    const full = [];
    for (let c = 0; c < G * G; c++) {
      const k = count[c + 1] - count[c];
      if (k) { cx[c] /= k; cy[c] /= k; full.push(c); }
    }
    const fx = new Float64Array(G * G), fy = new Float64Array(G * G);
    for (let a = 0; a < full.length; a++) {
      const ca = full[a], ax = ca % G, ay = (ca / G) | 0, na = count[ca + 1] - count[ca];
      for (let b = a + 1; b < full.length; b++) {
        const cb = full[b], bx = cb % G, by = (cb / G) | 0;
        if (Math.abs(ax - bx) <= 1 && Math.abs(ay - by) <= 1) {   // neighbours: exact
          for (let p = count[ca]; p < count[ca + 1]; p++) for (let q = count[cb]; q < count[cb + 1]; q++) pair(items[p], items[q]);
        } else {                                                    // far: centroids
          const dx = cx[cb] - cx[ca], dy = cy[cb] - cy[ca], l2 = dx * dx + dy * dy;
          if (l2 > DMAX * DMAX) continue;
          const f = s / l2, nb = count[cb + 1] - count[cb];
          fx[ca] += dx * f * nb; fy[ca] += dy * f * nb; fx[cb] -= dx * f * na; fy[cb] -= dy * f * na;
        }
      }
      for (let p = count[ca]; p < count[ca + 1]; p++) for (let q = p + 1; q < count[ca + 1]; q++) pair(items[p], items[q]);
    }
    for (let i = 0; i < n; i++) { vx[i] += fx[cell[i]]; vy[i] += fy[cell[i]]; }
  }

  // One step of the simulation; returns false once it has cooled down.
  function layoutTick(L) {
    if (L.ticks >= ITERATIONS) return false;
    L.alpha += -L.alpha * L.alphaDecay;
    applyLinks(L);
    applyCharge(L);
    const { n, x, y, vx, vy } = L;
    let mx = 0, my = 0;
    for (let i = 0; i < n; i++) {
      vx[i] = (vx[i] - x[i] * GRAVITY * L.alpha) * 0.6;
      vy[i] = (vy[i] - y[i] * GRAVITY * L.alpha) * 0.6;
      x[i] += vx[i]; y[i] += vy[i]; mx += x[i]; my += y[i];
    }
    for (let i = 0; i < n; i++) { x[i] -= mx / n; y[i] -= my / n; }
    return ++L.ticks < ITERATIONS;
  }

  function runLayout(L) { while (layoutTick(L)); return L; }

  const pure = { countryColor, nodeUrl, createLayout, layoutTick, runLayout, radius, ITERATIONS };
  if (typeof module === 'object' && module.exports) module.exports = pure;
  if (typeof document === 'undefined') return;

  // ---- browser part ----

  function boot() {
    const root = document.getElementById('network');
    if (!root) return;
    const HEIGHT = Number(root.dataset.height) || 600;
    const canvas = document.createElement('canvas');
    canvas.setAttribute('role', 'img');
    canvas.style.cssText = `display:block;width:100%;height:${HEIGHT}px;touch-action:none;cursor:grab`;
    const caption = document.createElement('p');
    caption.className = 'network-caption';
    root.replaceChildren(canvas, caption);
    const ctx = canvas.getContext('2d');

    let graph = null;            // {nodes, L, groups, edgeBuckets, top}
    let view = { k: 1, tx: 0, ty: 0 }, userMoved = false, hover = -1;
    let generation = 0, controller = null, frame = 0, layoutFrame = 0;

    function resize() {
      const dpr = window.devicePixelRatio || 1;
      canvas.width = Math.max(1, Math.round(canvas.clientWidth * dpr));
      canvas.height = Math.round(HEIGHT * dpr);
      if (graph && !userMoved) fit();
      draw();
    }

    function fit() {
      const { x, y, r, n } = graph.L;
      if (!n) return;
      let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
      for (let i = 0; i < n; i++) {
        x0 = Math.min(x0, x[i] - r[i]); x1 = Math.max(x1, x[i] + r[i]);
        y0 = Math.min(y0, y[i] - r[i]); y1 = Math.max(y1, y[i] + r[i]);
      }
      const w = canvas.clientWidth, pad = 24;
      const k = Math.min((w - 2 * pad) / (x1 - x0 || 1), (HEIGHT - 2 * pad) / (y1 - y0 || 1), 1.5);
      view = { k, tx: w / 2 - k * (x0 + x1) / 2, ty: HEIGHT / 2 - k * (y0 + y1) / 2 };
    }

    function draw() {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(paint);
    }

    function paint() {
      const dpr = window.devicePixelRatio || 1;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      if (!graph) return;
      const { L, nodes, groups, edgeBuckets } = graph;
      const { x, y, r, src, tgt } = L;
      const { k, tx, ty } = view;
      ctx.setTransform(dpr * k, 0, 0, dpr * k, dpr * tx, dpr * ty);
      ctx.strokeStyle = `rgba(80, 90, 110, ${L.m > 500 ? 0.22 : 0.45})`;   // fainter when dense
      edgeBuckets.forEach((list, b) => {
        if (!list.length) return;
        ctx.lineWidth = (0.6 + b * 0.9) / k;
        ctx.beginPath();
        for (const e of list) { ctx.moveTo(x[src[e]], y[src[e]]); ctx.lineTo(x[tgt[e]], y[tgt[e]]); }
        ctx.stroke();
      });
      ctx.lineWidth = 0.75 / k;
      ctx.strokeStyle = '#fff';
      for (const [color, list] of groups) {
        ctx.fillStyle = color;
        ctx.beginPath();
        for (const i of list) {
          const ri = Math.max(r[i], 1.5 / k);
          ctx.moveTo(x[i] + ri, y[i]);
          ctx.arc(x[i], y[i], ri, 0, 2 * Math.PI);
        }
        ctx.fill();
        ctx.stroke();
      }
      // Labels in screen space.
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.textBaseline = 'middle';
      ctx.lineJoin = 'round';
      const placed = [];       // screen boxes of labels drawn so far: skip overlaps
      const label = (i, text, bold) => {
        ctx.font = `${bold ? '600 13px' : '12px'} system-ui, sans-serif`;
        const tw = ctx.measureText(text).width, gap = Math.max(r[i] * k, 1.5) + 4, sy = y[i] * k + ty;
        let sx = x[i] * k + tx + gap;
        if (sx + tw > canvas.clientWidth) sx = x[i] * k + tx - gap - tw;   // flip left at the edge
        const box = [sx - 3, sy - 9, sx + tw + 3, sy + 9];
        if (!bold && placed.some((b) => box[0] < b[2] && b[0] < box[2] && box[1] < b[3] && b[1] < box[3])) return;
        placed.push(box);
        if (bold) { ctx.fillStyle = 'rgba(255,255,255,0.95)'; ctx.fillRect(box[0], box[1], box[2] - box[0], box[3] - box[1]); }
        ctx.lineWidth = 3; ctx.strokeStyle = 'rgba(255,255,255,0.9)'; ctx.strokeText(text, sx, sy);
        ctx.fillStyle = '#1d232b'; ctx.fillText(text, sx, sy);
      };
      for (const i of graph.top) if (i !== hover) label(i, nodes[i].label || nodes[i].id, false);
      if (hover >= 0) {
        const d = nodes[hover], w = d.weight || 0;
        ctx.setTransform(dpr * k, 0, 0, dpr * k, dpr * tx, dpr * ty);
        ctx.beginPath(); ctx.arc(x[hover], y[hover], Math.max(r[hover], 1.5 / k) + 2 / k, 0, 2 * Math.PI);
        ctx.lineWidth = 2 / k; ctx.strokeStyle = '#1d232b'; ctx.stroke();
        ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
        label(hover, `${d.label || d.id}${d.country ? ' (' + d.country + ')' : ''}: ${w} event${w === 1 ? '' : 's'}`, true);
      }
    }

    function setGraph(data) {
      const nodes = data.nodes || [], L = createLayout(nodes, data.edges || []);
      const groups = new Map();
      nodes.forEach((d, i) => {
        const c = countryColor(d.country);
        if (!groups.has(c)) groups.set(c, []);
        groups.get(c).push(i);
      });
      // Edge widths in four steps of sqrt(weight), one canvas path per step.
      const maxW = L.weight.reduce((a, b) => Math.max(a, b), 1);
      const edgeBuckets = [[], [], [], []];
      for (let e = 0; e < L.m; e++) {
        edgeBuckets[Math.min(3, Math.floor(4 * Math.sqrt((L.weight[e] - 1) / Math.max(1, maxW - 1))))].push(e);
      }
      graph = { nodes, L, groups, edgeBuckets, top: L.order.slice(0, TOP_LABELS) };
      hover = -1;
    }

    function describe(nodes, m) {
      const countries = nodes.length && nodes.every((d) => String(d.id).startsWith('c-'));
      const noun = countries ? (nodes.length === 1 ? 'country' : 'countries') : (nodes.length === 1 ? 'institution' : 'institutions');
      return `${nodes.length} ${noun}, ${m} link${m === 1 ? '' : 's'}`;
    }

    async function load(url) {
      const gen = ++generation;
      if (controller) controller.abort();
      controller = new AbortController();
      delete root.dataset.rendered;
      caption.textContent = 'Loading…';
      let data;
      try {
        const res = await fetch(url, { headers: { Accept: 'application/json' }, signal: controller.signal });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        data = await res.json();
      } catch (err) {
        if (err.name === 'AbortError') return;
        root.dataset.error = String(err.message || err);
        caption.textContent = `The network could not be loaded (${err.message || err}).`;
        return;
      }
      if (gen !== generation) return;
      delete root.dataset.error;
      setGraph(data);
      userMoved = false;
      const text = describe(graph.nodes, graph.L.m);
      canvas.setAttribute('aria-label', `Cooperation network: ${text}`);
      resize();
      if (!graph.L.n) {
        caption.textContent = 'No cooperation matches these filters.';
        root.dataset.rendered = '0';
        return;
      }
      caption.textContent = `${text}: laying out…`;
      // Run the simulation in slices of ~12 ms per frame, drawing as it goes.
      const step = () => {
        if (gen !== generation) return;
        const t0 = performance.now();
        let more = true;
        while (more && performance.now() - t0 < 12) more = layoutTick(graph.L);
        if (!userMoved) fit();
        paint();
        if (more) { layoutFrame = requestAnimationFrame(step); return; }
        caption.textContent = text;
        root.dataset.rendered = String(graph.L.n);
      };
      cancelAnimationFrame(layoutFrame);
      layoutFrame = requestAnimationFrame(step);
    }

    // ---- interaction ----

    function nodeAt(sx, sy) {
      if (!graph) return -1;
      const { x, y, r, n } = graph.L, { k, tx, ty } = view;
      const wx = (sx - tx) / k, wy = (sy - ty) / k;
      let best = -1, bestD = Infinity;
      for (let i = 0; i < n; i++) {
        const d = Math.hypot(x[i] - wx, y[i] - wy), hit = Math.max(r[i], 5 / k);
        if (d <= hit && d < bestD) { best = i; bestD = d; }
      }
      return best;
    }

    let drag = null;
    canvas.addEventListener('pointerdown', (e) => {
      drag = { x: e.clientX, y: e.clientY, moved: false };
      canvas.setPointerCapture(e.pointerId);
    });
    canvas.addEventListener('pointermove', (e) => {
      const rect = canvas.getBoundingClientRect();
      if (drag) {
        const dx = e.clientX - drag.x, dy = e.clientY - drag.y;
        if (drag.moved || Math.abs(dx) + Math.abs(dy) > 3) {
          drag.moved = true; userMoved = true;
          view.tx += dx; view.ty += dy; drag.x = e.clientX; drag.y = e.clientY;
          canvas.style.cursor = 'grabbing';
          draw();
        }
        return;
      }
      const h = nodeAt(e.clientX - rect.left, e.clientY - rect.top);
      if (h !== hover) { hover = h; draw(); }
      canvas.style.cursor = h >= 0 && nodeUrl(graph.nodes[h].id) ? 'pointer' : 'grab';
    });
    canvas.addEventListener('pointerup', (e) => {
      const wasDrag = drag && drag.moved;
      drag = null;
      canvas.style.cursor = 'grab';
      if (wasDrag) return;
      const rect = canvas.getBoundingClientRect();
      const i = nodeAt(e.clientX - rect.left, e.clientY - rect.top);
      const url = i >= 0 && nodeUrl(graph.nodes[i].id);
      if (!url) return;
      if (e.ctrlKey || e.metaKey) window.open(url, '_blank', 'noopener'); else window.location.assign(url);
    });
    canvas.addEventListener('pointerleave', () => { if (!drag && hover >= 0) { hover = -1; draw(); } });
    canvas.addEventListener('wheel', (e) => {
      e.preventDefault();
      const rect = canvas.getBoundingClientRect();
      const sx = e.clientX - rect.left, sy = e.clientY - rect.top;
      const delta = e.deltaY * (e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? 400 : 1);
      const f = Math.exp(-delta * 0.0015), k = Math.min(64, Math.max(0.01, view.k * f));
      view.tx = sx - (sx - view.tx) * (k / view.k);
      view.ty = sy - (sy - view.ty) * (k / view.k);
      view.k = k; userMoved = true;
      draw();
    }, { passive: false });
    canvas.addEventListener('dblclick', () => { if (graph) { userMoved = false; fit(); draw(); } });
    if (window.ResizeObserver) new ResizeObserver(resize).observe(root);
    else window.addEventListener('resize', resize);

    // ---- filters ----

    const base = new URL(root.dataset.api || '/api/v1/network', window.location.href);
    const form = document.getElementById('network-filters');
    function reload() {
      const q = new URLSearchParams();
      for (const [k, v] of new FormData(form)) if (String(v).trim() !== '') q.append(k, String(v).trim());
      const qs = q.toString();
      window.history.replaceState(null, '', window.location.pathname + (qs ? '?' + qs : ''));
      load(base.pathname + (qs ? '?' + qs : ''));
    }
    if (form) {
      form.addEventListener('change', reload);
      form.addEventListener('submit', (e) => { e.preventDefault(); reload(); });
    }
    load(base.pathname + base.search);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
  else boot();
})();
