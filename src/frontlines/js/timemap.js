/* frontlines timemap: one Leaflet map that carries every date of 2016.
 *
 * The Python side (frontlines.timemap) draws the district cells, routes and hatching once and
 * passes a compact table of who held what, when. This script restyles the layers for a date
 * without redrawing them, so the reader's zoom and pan are kept. A date arrives by:
 *   - window.postMessage({type: "frontlines:date", date: "YYYY-MM-DD"})  (any host page), or
 *   - the text of an element .fl-beacon[data-view=VIEW] in the host page (the Voila app),
 *     watched with a MutationObserver.
 * The map is either its own page (a file, shown in an iframe or on its own) or inline in the
 * host page. Its first date is the host page's ?date=YYYY-MM-DD or ?chapter=ID when valid
 * (as the app reads them), else the page's #date=, else the date it was built for.
 * Every text from the data is inserted with textContent, never as HTML.
 */
(function (cfg) {
  "use strict";
  var container = cfg.map.getContainer();
  // Its own page: the map's container sits in <body>; inline, it sits in the host's markup.
  var ownPage = container.parentElement === document.body;
  var hostWin = window;
  if (ownPage) {
    try { if (window.parent !== window && window.parent.document) hostWin = window.parent; }
    catch (e) { hostWin = window; }  // another origin: no host page to follow
  }
  var ISO = /^\d{4}-\d{2}-\d{2}$/;
  function validIso(s) {
    if (!ISO.test(s)) return false;
    var p = s.split("-"), dt = new Date(Date.UTC(+p[0], +p[1] - 1, +p[2]));
    return dt.toISOString().slice(0, 10) === s;
  }
  // A page served as a file takes its first date and its view from the URL's hash
  // (#date=YYYY-MM-DD&view=ID), so one cached file serves every reader.
  if (ownPage) {
    (location.hash || "").replace(/^#/, "").split("&").forEach(function (kv) {
      var p = kv.split("=");
      if (p[0] === "date" && validIso(p[1])) cfg.date = p[1];
      if (p[0] === "view" && /^[A-Za-z0-9_-]{1,40}$/.test(p[1])) cfg.view = p[1];
    });
  }
  // The reader's deep link, read as the app reads it (frontlines.app.date_from_query); the
  // app then confirms it, or explains why it fell back to the default.
  (function () {
    var q;
    try { q = new URLSearchParams(hostWin.location.search); } catch (e) { return; }
    var chapter = (q.get("chapter") || "").slice(0, 40), date = (q.get("date") || "").trim();
    if (chapter) {
      if (Object.prototype.hasOwnProperty.call(cfg.chapters || {}, chapter)) {
        cfg.date = cfg.chapters[chapter];
      }
    } else if (validIso(date) && date.slice(0, 4) === "2016") {
      cfg.date = date;
    }
  })();
  var D = cfg.data, S = cfg.strings;
  var DAY = 86400000, T0 = Date.UTC(2016, 0, 1);
  var current = null;

  function dayOf(iso) {
    var p = String(iso).split("-");
    return Math.round((Date.UTC(+p[0], +p[1] - 1, +p[2]) - T0) / DAY);
  }
  function isoOf(day) {
    return new Date(T0 + day * DAY).toISOString().slice(0, 10);
  }
  function active(rows, d) {
    if (!rows) return null;
    for (var i = 0; i < rows.length; i++) {
      var r = rows[i];
      if (r[0] <= d && (r[1] === null || d < r[1])) return r;
    }
    return null;
  }
  function label(key) { return S[key] || key; }
  function longDate(day) {
    var dt = new Date(T0 + day * DAY);
    return dt.getUTCDate() + " " + S.months[dt.getUTCMonth()] + " " + dt.getUTCFullYear();
  }
  function el(tag, text, attrs) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = text;
    if (attrs) for (var k in attrs) e.setAttribute(k, attrs[k]);
    return e;
  }
  function line(parent, text) { parent.appendChild(el("div", text)); }
  function sources(parent, idx) {
    // D.sources holds each citation as HTML escaped by Python's autoescaping template
    // (frontlines.citation), the one place the citation format is written.
    parent.appendChild(el("div", label("popup.sources") + ":"));
    var list = el("ul", null, {"class": "fl-sources"});
    idx.forEach(function (i) {
      var li = el("li");
      li.innerHTML = D.sources[i];
      list.appendChild(li);
    });
    parent.appendChild(list);
  }
  function factionName(f) { return label("faction." + f); }

  function cellPopup(layer) {
    var p = layer.feature.properties, info = D.cells[p.id];
    var r = active(info.rows, current);
    var box = el("div", null, {"class": "fl-popup"});
    box.appendChild(el("strong", info.name));
    if (info.name_ar) box.appendChild(el("div", info.name_ar, {lang: "ar", dir: "rtl"}));
    if (!r) { line(box, factionName("none")); return box; }
    if (r[2] === "contested") {
      line(box, S.contested_by + " " + r[3].map(factionName).join(" / "));
    } else {
      line(box, label("popup.held_by") + ": " + factionName(r[2]));
    }
    line(box, label("popup.since") + ": " + longDate(r[0]));
    line(box, label("popup.until") + ": " + (r[1] === null ? label("popup.still") : longDate(r[1])));
    line(box, label("popup.confidence") + ": " + r[4]);
    if (r[6]) { var n = el("em", r[6]); box.appendChild(n); }
    sources(box, r[5]);
    if (info.approximate) line(box, S.approximate.replace("{precision}", info.precision_m));
    return box;
  }
  function routePopup(layer) {
    var p = layer.feature.properties, info = D.routes[p.id];
    var r = active(info.rows, current);
    var box = el("div", null, {"class": "fl-popup"});
    box.appendChild(el("strong", info.name));
    if (!r) return box;
    line(box, label("popup.route_status") + ": " + label("status." + r[2]));
    line(box, label("popup.route_serves") + ": " + factionName(r[3]));
    line(box, label("popup.since") + ": " + longDate(r[0]));
    line(box, label("popup.confidence") + ": " + r[4]);
    if (r[6]) box.appendChild(el("em", r[6]));
    sources(box, r[5]);
    line(box, S.approximate.replace("{precision}", info.precision_m));
    return box;
  }
  function cellTip(layer) {
    var info = D.cells[layer.feature.properties.id], r = active(info.rows, current);
    return el("span", info.name + ": " + factionName(r ? r[2] : "none"));
  }
  function routeTip(layer) {
    var info = D.routes[layer.feature.properties.id], r = active(info.rows, current);
    return el("span", info.name + ": " + (r ? label("status." + r[2]) : ""));
  }

  // Contested cells are hatched in the colours of both parties (SVG patterns, one per pair).
  var SVGNS = "http://www.w3.org/2000/svg";
  function patternId(parties) { return "fl-hatch-" + cfg.view + "-" + parties.join("-"); }
  function ensurePattern(parties) {
    var id = patternId(parties);
    var svg = cfg.map.getPanes().overlayPane.querySelector("svg");
    if (!svg || svg.querySelector("#" + id)) return id;
    var defs = svg.querySelector("defs") || svg.insertBefore(document.createElementNS(SVGNS, "defs"), svg.firstChild);
    var pat = document.createElementNS(SVGNS, "pattern");
    pat.setAttribute("id", id);
    pat.setAttribute("patternUnits", "userSpaceOnUse");
    pat.setAttribute("width", "12");
    pat.setAttribute("height", "12");
    pat.setAttribute("patternTransform", "rotate(45)");
    parties.forEach(function (f, i) {
      var r = document.createElementNS(SVGNS, "rect");
      r.setAttribute("x", String(i * 6));
      r.setAttribute("y", "0");
      r.setAttribute("width", "6");
      r.setAttribute("height", "12");
      r.setAttribute("fill", D.colours[f] || D.colours.contested);
      pat.appendChild(r);
    });
    defs.appendChild(pat);
    return id;
  }

  function show(layer, visible) {
    var node = layer.getElement && layer.getElement();
    if (node) node.style.display = visible ? "" : "none";
  }

  function setDay(d) {
    if (d === current) return;
    current = d;
    cfg.cells.eachLayer(function (l) {
      var r = active(D.cells[l.feature.properties.id].rows, d);
      var f = r ? r[2] : "none";
      if (f === "contested") {
        l.setStyle({fillColor: "url(#" + ensurePattern(r[3]) + ")", fillOpacity: 0.7});
      } else {
        l.setStyle({fillColor: D.colours[f] || D.colours.none, fillOpacity: 0.55});
      }
    });
    [cfg.casing, cfg.routes].forEach(function (group, casing) {
      group.eachLayer(function (l) {
        var r = active(D.routes[l.feature.properties.id].rows, d);
        show(l, !!r);
        if (!r) { l.setStyle({opacity: 0}); return; }
        var st = r[2];
        if (casing === 0) l.setStyle({opacity: 0.9, weight: D.weight[st] + 4});
        else l.setStyle({opacity: 0.95, color: D.colours[r[3]], weight: D.weight[st],
                         dashArray: D.dash[st]});
      });
    });
    cfg.cells.eachLayer(function (l) { if (l.isPopupOpen()) l.setPopupContent(cellPopup(l)); });
    cfg.routes.eachLayer(function (l) { if (l.isPopupOpen()) l.setPopupContent(routePopup(l)); });
    var title = S.title.replace("{date}", longDate(d));
    if (ownPage) document.title = title;
    cfg.map.getContainer().setAttribute("aria-label", title);
    cfg.map.getContainer().setAttribute("data-date", isoOf(d));
  }
  function setDate(iso) {
    var d = dayOf(iso);
    if (isNaN(d)) return;
    setDay(Math.max(0, Math.min(d, 365)));
  }

  cfg.cells.eachLayer(function (l) {
    l.bindPopup(function () { return cellPopup(l); }, {maxWidth: 320});
    l.bindTooltip(function () { return cellTip(l); }, {sticky: true});
  });
  cfg.routes.eachLayer(function (l) {
    l.bindPopup(function () { return routePopup(l); }, {maxWidth: 320});
    l.bindTooltip(function () { return routeTip(l); }, {sticky: true});
  });
  cfg.map.getContainer().setAttribute("role", "region");
  setDate(cfg.date);

  window.addEventListener("message", function (ev) {
    var m = ev.data;
    if (m && m.type === "frontlines:date" && typeof m.date === "string") setDate(m.date);
  });

  // The Voila app: follow the beacon the kernel updates in the host page.
  function watchBeacon() {
    var doc;
    try { doc = hostWin.document; } catch (e) { return; }
    if (!doc) return;
    var sel = '.fl-beacon[data-view="' + cfg.view + '"]';
    var read = function () {
      var b = doc.querySelector(sel);
      if (b) setDate(b.textContent.trim());
    };
    var beacon = doc.querySelector(sel);
    if (!beacon) { setTimeout(watchBeacon, 200); return; }
    read();
    var host = beacon.parentElement || doc.body;
    new MutationObserver(read).observe(host, {childList: true, subtree: true, characterData: true});
  }
  if (hostWin !== window || !ownPage) watchBeacon();

  // Inline, the map may be built while its host hides it (Voila shows its page once its front
  // end has loaded): fit the city when the map first gets a size, and keep fitting it while
  // the host lays the page out, until the reader moves the map.
  var moved = false;
  ["mousedown", "touchstart", "wheel", "keydown"].forEach(function (type) {
    container.addEventListener(type, function () { moved = true; }, {passive: true});
  });
  if (cfg.bounds && window.ResizeObserver) {
    var lastW = container.clientWidth, lastH = container.clientHeight;
    new ResizeObserver(function () {
      var w = container.clientWidth, h = container.clientHeight;
      if (w === lastW && h === lastH) return;
      lastW = w; lastH = h;
      if (!w || !h) return;
      cfg.map.invalidateSize({pan: false});
      if (!moved) cfg.map.fitBounds(cfg.bounds);
    }).observe(container);
  }
  window.frontlinesTimemap = {
    setDate: setDate,
    date: function () { return isoOf(current); },
    zoom: function () { return cfg.map.getZoom(); }
  };
})(/*CONFIG*/);
