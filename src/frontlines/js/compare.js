/* frontlines compare: two dates side by side, and which districts changed hands between them.
 *
 * Lives in the reader panel (the "Compare two dates" disclosure of templates/panel.html.j2) and
 * draws with the explorer's own rules (the fills, hatching and route lines of timemap.js), on
 * two small Leaflet maps built the first time the reader opens it. The counts are those of
 * frontlines.changes.changed_hands in Python; a browser test holds the two together. Texts
 * from the data are inserted with textContent.
 */
function frontlinesCompare(cfg, tm, P, root, stretchAt) {
  "use strict";
  var S = P.strings, D = cfg.data;
  var box = root.querySelector(".fl-compare");
  if (!box) return null;
  function q(sel) { return box.querySelector(sel); }
  function fmt(tpl, f) {
    return String(tpl).replace(/\{(\w+)\}/g, function (m, k) {
      return Object.prototype.hasOwnProperty.call(f, k) ? String(f[k]) : m;
    });
  }
  function plural(forms, n, f) {
    var cat = P.plural[String(n)] || "other";
    f.count = n;
    return fmt(forms[cat] || forms.other, f);
  }
  function el(tag, text, attrs) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = text;
    if (attrs) for (var k in attrs) e.setAttribute(k, attrs[k]);
    return e;
  }
  var ends = [q(".fl-cmp-a"), q(".fl-cmp-b")];
  var shown = [null, null], maps = [], cellLayers = [], routeLayers = [], names = [];
  var changed = {}, timer = null, moved = false;

  // Which districts changed hands between days a and b, and the counts by direction.
  function changes(a, b) {
    var rows = [], flows = {};
    Object.keys(D.cells).forEach(function (id) {
      var before = tm.holderOn(id, a), after = tm.holderOn(id, b);
      if (before === after) return;
      rows.push({id: id, name: D.cells[id].name, before: before, after: after});
      var key = before + ">" + after;
      flows[key] = (flows[key] || 0) + 1;
    });
    // by side, then by name regardless of case (as frontlines.changes.changed_hands)
    function key(r) { return [r.after, r.name.toLowerCase()]; }
    rows.sort(function (x, y) {
      var a = key(x), b = key(y);
      return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
    });
    var counts = Object.keys(flows).map(function (k) {
      var p = k.split(">");
      return {before: p[0], after: p[1], count: flows[k]};
    });
    counts.sort(function (x, y) { return y.count - x.count || (x.before + x.after < y.before + y.after ? -1 : 1); });
    return {rows: rows, flows: counts};
  }

  function restyle(i) {
    var d = shown[i];
    if (!maps[i]) return;
    cellLayers[i].eachLayer(function (l) {
      var p = l.feature.properties, style = tm.baseOutline(p), fill = tm.fillOn(p.id, d, maps[i]);
      if (changed[p.id]) style = {color: "#000000", weight: 3, dashArray: null};
      style.fillColor = fill.fillColor;
      style.fillOpacity = fill.fillOpacity;
      l.setStyle(style);
      if (changed[p.id]) l.bringToFront();
    });
    routeLayers[i].eachLayer(function (l) {
      var style = tm.routeStyle(l.feature.properties.id, d);
      l.setStyle(style || {opacity: 0});
    });
    routeLayers[i].bringToFront();
    names[i].setAreas(stretchAt(d).labels);
    var title = fmt(S["ui.compare_map"], {date: tm.longDate(d)});
    maps[i].getContainer().setAttribute("aria-label", title);
    maps[i].getContainer().setAttribute("data-date", tm.isoOf(d));
  }

  function draw() {
    var a = +ends[0].value, b = +ends[1].value;
    shown = [a, b];
    ends.forEach(function (input, i) {
      var text = tm.longDate(shown[i]);
      input.setAttribute("aria-valuetext", text);
      box.querySelectorAll(".fl-cmp-date-" + i).forEach(function (n) { n.textContent = text; });
    });
    var ch = changes(a, b);
    changed = {};
    ch.rows.forEach(function (r) { changed[r.id] = true; });
    var A = tm.longDate(a), B = tm.longDate(b);
    q(".fl-cmp-notice").hidden = a <= b;
    q(".fl-cmp-head").textContent = plural(S["ui.changed"], ch.rows.length, {a: A, b: B});
    var flows = q(".fl-cmp-flows");
    flows.textContent = "";
    ch.flows.forEach(function (f) {
      flows.appendChild(el("li", plural(S["ui.changed_flow"], f.count, {
        before: tm.factionName(f.before), after: tm.factionName(f.after)}), {
        "data-before": f.before, "data-after": f.after, "data-count": f.count}));
    });
    var body = q(".fl-cmp-table tbody");
    body.textContent = "";
    ch.rows.forEach(function (r) {
      var tr = el("tr", null, {"data-id": r.id});
      tr.appendChild(el("th", r.name, {scope: "row"}));
      tr.appendChild(el("td", tm.factionName(r.before)));
      tr.appendChild(el("td", tm.factionName(r.after)));
      body.appendChild(tr);
    });
    q(".fl-cmp-list").hidden = !ch.rows.length;
    restyle(0);
    restyle(1);
    box.setAttribute("data-from", tm.isoOf(a));
    box.setAttribute("data-to", tm.isoOf(b));
  }

  // The maps are built when the reader first opens the comparison (Leaflet needs a size).
  function build() {
    if (maps.length) return;
    var geo = tm.geometry(), syncing = false;
    box.querySelectorAll(".fl-cmp-map").forEach(function (div, i) {
      var m = L.map(div, {keyboard: false, attributionControl: false, scrollWheelZoom: false,
                          zoomSnap: 0.5});
      m.getContainer().removeAttribute("tabindex");
      m.getContainer().setAttribute("role", "group");  // named by its date; holds its zoom buttons
      cellLayers[i] = L.geoJSON(geo.cells, {interactive: false, className: "fl-cmp-cell"}).addTo(m);
      routeLayers[i] = L.geoJSON(geo.routes, {interactive: false}).addTo(m);
      m.fitBounds(cfg.bounds);
      names[i] = tm.labeller(m);  // the top-ranked names, as on the big map
      maps[i] = m;
    });
    // fitted to the city until the reader moves them
    ["mousedown", "touchstart", "wheel"].forEach(function (type) {
      q(".fl-cmp-maps").addEventListener(type, function () { moved = true; }, {passive: true});
    });
    // the two maps move together
    maps.forEach(function (m, i) {
      m.on("move", function () {
        if (syncing) return;
        syncing = true;
        maps[1 - i].setView(m.getCenter(), m.getZoom(), {animate: false});
        syncing = false;
      });
    });
    if (window.ResizeObserver) {
      new ResizeObserver(function () {
        maps.forEach(function (m) {
          m.invalidateSize({pan: false});
          if (!moved) m.fitBounds(cfg.bounds);
        });
      }).observe(q(".fl-cmp-maps"));
    }
  }
  ends.forEach(function (input) {
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(draw, 30);
    });
  });
  box.addEventListener("toggle", function () {
    if (!box.open) return;
    build();
    maps.forEach(function (m) {
      m.invalidateSize({pan: false});
      if (!moved) m.fitBounds(cfg.bounds);
    });
    draw();
  });
  // nothing is drawn until the reader opens the comparison
  if (box.open) box.dispatchEvent(new Event("toggle"));
  return {
    changes: function (a, b) { return changes(a, b); },
    set: function (isoA, isoB) {  // for tests and tools
      ends[0].value = String(tm.dayOf(isoA));
      ends[1].value = String(tm.dayOf(isoB));
      draw();
    },
    maps: function () { return maps; }
  };
}
