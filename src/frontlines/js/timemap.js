/* frontlines timemap: one Leaflet map that carries every date of 2016.
 *
 * The Python side (frontlines.timemap) draws the district cells, routes and places once and
 * passes a compact table of who held what, when (frontlines.timemap.timeline_data), and the
 * labels chosen from the layers (frontlines.labels). This script restyles the layers for a
 * date without redrawing them, so the reader's zoom and pan are kept, and places the labels
 * so that none overlaps another. The reader panel (panel.js) owns the date and calls the API
 * this function returns. Every text from the data is inserted with textContent, never as
 * HTML, except the citations, which Python renders with an autoescaping template.
 */
function frontlinesTimemap(cfg) {
  "use strict";
  var D = cfg.data, S = cfg.strings, map = cfg.map;
  var DAY = 86400000, T0 = Date.UTC(2016, 0, 1);
  var current = null, highlighted = {cells: {}, routes: {}};

  function isoOf(day) { return new Date(T0 + day * DAY).toISOString().slice(0, 10); }
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
    return S["date.format"].replace("{day}", dt.getUTCDate())
      .replace("{month}", S.months[dt.getUTCMonth()]).replace("{year}", dt.getUTCFullYear());
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
    parent.appendChild(citeList(idx));
  }
  // The citations as a list; their links open in a new tab.
  function citeList(idx) {
    var list = el("ul", null, {"class": "fl-sources"});
    idx.forEach(function (i) {
      var li = el("li", null, {"class": "fl-src"});
      li.innerHTML = D.sources ? D.sources[i] : "…";  // until the late data has come
      li.querySelectorAll("a[href]").forEach(function (a) {
        a.setAttribute("target", "_blank");
        a.setAttribute("rel", "noopener noreferrer");
      });
      list.appendChild(li);
    });
    return list;
  }
  function factionName(f) { return label("faction." + f); }

  function confidence(c) { return label("popup.confidence") + ": " + label("confidence." + c); }
  function cellPopup(layer) {
    var p = layer.feature.properties, info = D.cells[p.id];
    var r = active(info.rows, current);
    var box = el("div", null, {"class": "fl-popup"});
    box.appendChild(el("strong", info.name));
    if (info.name_ar) box.appendChild(el("span", info.name_ar, {lang: "ar", dir: "rtl", "class": "fl-ar"}));
    if (!r) { line(box, factionName("none")); return box; }
    var who = r[2] === "contested" ? S.contested_by + " " + r[3].map(factionName).join(" / ")
                                   : label("popup.held_by") + " " + factionName(r[2]);
    var when = label("popup.since").toLowerCase() + " " + longDate(r[0]);
    if (r[1] !== null) when += ", " + label("popup.until").toLowerCase() + " " + longDate(r[1]);
    line(box, who + " " + when);
    line(box, confidence(r[4]));
    sources(box, r[5]);
    if (info.approximate !== false) {
      box.appendChild(el("small", S.approximate.replace("{precision}", info.precision_m)));
    }
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
    line(box, confidence(r[4]));
    if (r[6]) box.appendChild(el("em", r[6]));
    sources(box, r[5]);
    line(box, S.approximate.replace("{precision}", info.precision_m));
    return box;
  }
  function sitePopup(layer) {
    var info = D.sites[layer.feature.properties.id];
    var box = el("div", null, {"class": "fl-popup"});
    box.appendChild(el("strong", info.name));
    line(box, label("popup.site_kind") + ": " + info.kind);
    if (info.note) box.appendChild(el("em", info.note));
    line(box, confidence(info.confidence));
    sources(box, info.sources);
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

  // Contested cells are hatched in the colours of both parties (SVG patterns, one per pair
  // and map: the compare maps draw with the same rule).
  var SVGNS = "http://www.w3.org/2000/svg";
  function ensurePattern(parties, onMap) {
    var svg = onMap.getPanes().overlayPane.querySelector("svg");
    var id = "fl-hatch-" + cfg.view + "-" + L.stamp(onMap) + "-" + parties.join("-");
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
  // A district's fill on day d, on a map (the explorer's or a compare map).
  function fillOn(id, d, onMap) {
    var r = active(D.cells[id].rows, d), f = r ? r[2] : "none";
    if (f === "contested") {
      return {fillColor: "url(#" + ensurePattern(r[3], onMap) + ")", fillOpacity: 0.7};
    }
    return {fillColor: D.colours[f] || D.colours.none, fillOpacity: D.fillOpacity};
  }
  function holderOn(id, d) {
    var r = active(D.cells[id].rows, d);
    return r ? r[2] : "none";
  }
  // A route's line on day d ([casing, line] styles), or null where it did not exist.
  function routeStyle(id, d, casing) {
    var r = active(D.routes[id].rows, d);
    if (!r) return null;
    var st = r[2];
    if (casing) {
      var lit = highlighted.routes[id];
      return {opacity: 0.95, color: lit ? "#ffd400" : "#ffffff", weight: D.weight[st] + (lit ? 8 : 4)};
    }
    return {opacity: 0.95, color: D.colours[r[3]], weight: D.weight[st], dashArray: D.dash[st]};
  }
  function baseOutline(p) {
    return {color: "#333333", weight: p.in_city ? 0.8 : 0.5, dashArray: p.in_city ? null : "3 3"};
  }

  function show(layer, visible) {
    var node = layer.getElement && layer.getElement();
    if (node) node.style.display = visible ? "" : "none";
  }
  function outline(l) {
    var id = l.feature.properties.id;
    if (cursor && l === cursor[0]) return {color: "#000000", weight: 3, dashArray: "5 3"};
    if (highlighted.cells[id]) return {color: "#000000", weight: 3.5, dashArray: null};
    return baseOutline(l.feature.properties);
  }

  function setDay(d) {
    if (d === current) return;
    current = d;
    cfg.cells.eachLayer(function (l) {
      var style = outline(l), fill = fillOn(l.feature.properties.id, d, map);
      style.fillColor = fill.fillColor;
      style.fillOpacity = fill.fillOpacity;
      l.setStyle(style);
    });
    [cfg.casing, cfg.routes].forEach(function (group, i) {
      group.eachLayer(function (l) {
        var style = routeStyle(l.feature.properties.id, d, i === 0);
        show(l, !!style);
        l.setStyle(style || {opacity: 0});
      });
    });
    if (shown) showInfo(shown.layer, shown.at, shown.build, true);
    map.getContainer().setAttribute("data-date", isoOf(d));
  }

  // A feature's information: a popup on a wide screen; on a phone, a sheet at the foot of the
  // map that scrolls inside itself and never covers the date bar, which sits below the map.
  var shown = null, sheet = null;
  var narrow = window.matchMedia ? window.matchMedia("(max-width: 600px)") : {matches: false};
  function closeSheet() {
    if (sheet) sheet.hidden = true;
    shown = null;
  }
  function showInfo(layer, at, build, refresh) {
    var content = build(layer);
    shown = {layer: layer, at: at, build: build};
    if (narrow.matches) {
      if (!sheet) {
        sheet = el("div", null, {"class": "fl-sheet", role: "dialog", "aria-label": label("popup.details")});
        var close = el("button", "×", {type: "button", "class": "fl-sheet-close",
                                       "aria-label": label("ui.close")});
        close.addEventListener("click", function () { closeSheet(); container.focus(); });
        sheet.appendChild(close);
        sheet.appendChild(el("div", null, {"class": "fl-sheet-body"}));
        L.DomEvent.disableClickPropagation(sheet);
        L.DomEvent.disableScrollPropagation(sheet);
        container.appendChild(sheet);
      }
      var body = sheet.querySelector(".fl-sheet-body");
      body.textContent = "";
      body.appendChild(content);
      sheet.hidden = false;
      if (!refresh) body.scrollTop = 0;
      if (!watching) clearBar();
      return;
    }
    if (refresh && !map.hasLayer(popup)) return;
    popup.setLatLng(at).setContent(content);
    if (!map.hasLayer(popup)) popup.openOn(map);
  }
  // The date bar sticks to the foot of the screen, over the map's lower edge when the map
  // runs below the screen: the sheet then ends above the bar. The map moves under the bar by
  // scrolling, and also with no event at all when content arrives above it (Voila renders
  // cells as they run), so the sheet follows the bar on every frame while it is open.
  var watching = false;
  function clearBar() {
    var panel = container.closest && container.closest(".fl-panel");
    var bar = panel && panel.querySelector(".fl-bar");
    if (!sheet || sheet.hidden || !bar) { watching = false; return; }
    var over = container.getBoundingClientRect().bottom - bar.getBoundingClientRect().top;
    var bottom = Math.max(0, Math.round(over)) + "px";
    if (sheet.style.bottom !== bottom) sheet.style.bottom = bottom;
    watching = true;
    window.requestAnimationFrame(clearBar);
  }
  var popup = L.popup({maxWidth: 320, autoPanPaddingBottomRight: [10, 60]});
  map.on("popupclose", function (e) { if (e.popup === popup) shown = null; });
  [[cfg.cells, cellPopup, cellTip], [cfg.routes, routePopup, routeTip],
   [cfg.sites, sitePopup, function (l) { return el("span", D.sites[l.feature.properties.id].name); }]
  ].forEach(function (kind) {
    kind[0].eachLayer(function (l) {
      l.on("click", function (e) {
        L.DomEvent.stopPropagation(e);  // not the map's click, which closes the sheet
        showInfo(l, e.latlng, kind[1]);
      });
      l.bindTooltip(function () { return kind[2](l); }, {sticky: kind[0] !== cfg.sites});
    });
  });
  map.on("click", function () { if (narrow.matches) closeSheet(); });

  // ------------------------------------------------------------------ labels
  // Labels on a map (this one, or a compare map showing only the top ranks), placed so that
  // none overlaps another. One pane above the shapes and below popups; labels take no
  // pointer events and no focus.
  function labeller(onMap, rows, maxRank) {
    var pane = onMap.createPane("fl-labels");
    pane.style.zIndex = 450;
    pane.style.pointerEvents = "none";
    var labels = [];
    // A label's element and marker are made the first time a zoom may show it.
    function addLabel(spec, cls) {
      var item = {spec: spec, cls: cls, marker: null, box: null, w: 0, h: 0, angle: spec.angle};
      labels.push(item);
      return item;
    }
    function make(item) {
      if (item.box) return;
      var spec = item.spec;
      var inner = el("span", spec.text, {"class": "fl-label-text"});
      item.box = el("div", null, {"class": "fl-label " + item.cls, "aria-hidden": "true"});
      item.box.appendChild(inner);
      item.marker = L.marker([spec.lat, spec.lon], {
        pane: "fl-labels", interactive: false, keyboard: false,
        icon: L.divIcon({html: item.box, className: "fl-label-anchor", iconSize: null})
      }).addTo(onMap);
    }
    function hide(item) {
      if (!item.box) return;
      item.box.style.display = "none";
      item.box.removeAttribute("data-shown");
    }
    (rows || []).forEach(function (row) {  // [text, rank, kind, lat, lon, angle, alts]
      if (maxRank && row[1] > maxRank) return;
      var spec = {text: row[0], rank: row[1], kind: row[2], lat: row[3], lon: row[4], angle: row[5],
                  alts: row[6] || []};
      addLabel(spec, "fl-label-" + spec.kind + " fl-rank-" + spec.rank);
    });
    var areas = {};
    ["east", "west"].forEach(function (key) {
      areas[key] = addLabel({text: S["label." + key], rank: 1.5, kind: "area", lat: 0, lon: 0,
                             angle: 0, alts: []}, "fl-label-area");
      areas[key].off = true;
    });
    // the order in which labels claim room: rank 1, then the area names, then the rest
    labels.sort(function (a, b) { return a.spec.rank - b.spec.rank; });

    // Offsets (px) from the anchor to try, in order, per kind of label.
    var GAP = 7;
    function candidates(item) {
      var w = item.w, h = item.h, k = item.spec.kind;
      if (k === "site") {
        return [[GAP, -h / 2], [-w - GAP, -h / 2], [-w / 2, -h - GAP], [-w / 2, GAP]];
      }
      if (k === "route") return [[-w / 2, -h / 2]];
      // districts and areas: centred, else just above or below
      return [[-w / 2, -h / 2], [-w / 2, -h * 1.5 - 2], [-w / 2, h * 0.5 + 2]];
    }
    function overlaps(a, list) {
      for (var i = 0; i < list.length; i++) {
        var b = list[i];
        if (a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]) return true;
      }
      return false;
    }
    // A label's size is read once (all labels in one pass, so one layout, not one per
    // label); the box it takes when turned is computed from it.
    function measureAll(wanted) {
      var todo = wanted.filter(function (item) { return !item.tw; });
      if (!todo.length) return;
      todo.forEach(make);
      todo.forEach(function (item) { item.box.style.display = ""; });
      todo.forEach(function (item) {
        item.tw = item.box.offsetWidth;
        item.th = item.box.offsetHeight;
      });
    }
    function turn(item, angle) {
      var a = (angle || 0) * Math.PI / 180, w = item.tw, h = item.th;
      item.angle = angle;
      item.w = Math.abs(w * Math.cos(a)) + Math.abs(h * Math.sin(a));
      item.h = Math.abs(w * Math.sin(a)) + Math.abs(h * Math.cos(a));
    }
    function wantedAt(zoom) {
      return labels.filter(function (item) {
        var min = maxRank ? undefined : cfg.rankZoom[String(Math.floor(item.spec.rank))];
        return !(item.off || (min !== undefined && zoom < min));
      });
    }
    function place() {
      var zoom = onMap.getZoom(), kept = [], size = onMap.getSize(), wanted = wantedAt(zoom);
      measureAll(wanted);  // only the labels this zoom may show
      labels.forEach(function (item) {
        if (wanted.indexOf(item) < 0) {
          hide(item);
          return;
        }
        // where to try: the label's own point, then its alternatives (along a route)
        var spots = [[item.spec.lat, item.spec.lon, item.spec.angle]].concat(item.spec.alts || []);
        var placed = null;
        for (var j = 0; j < spots.length && !placed; j++) {
          if (item.angle !== spots[j][2] || !item.w) turn(item, spots[j][2]);
          var p = onMap.latLngToContainerPoint(spots[j]), tries = candidates(item);
          for (var i = 0; i < tries.length && !placed; i++) {
            var x = p.x + tries[i][0], y = p.y + tries[i][1];
            var box = [x - 2, y - 1, x + item.w + 2, y + item.h + 1];
            var outside = box[2] < 0 || box[3] < 0 || box[0] > size.x || box[1] > size.y;
            if (outside) break;  // off the map: drawn when the reader pans to it
            // a small map without panning in mind (compare) shows whole labels only
            if (maxRank && (box[0] < 0 || box[1] < 0 || box[2] > size.x || box[3] > size.y)) continue;
            if (!overlaps(box, kept)) {
              placed = {x: tries[i][0], y: tries[i][1], box: box, at: spots[j]};
            }
          }
        }
        if (!placed) {
          hide(item);
          return;
        }
        kept.push(placed.box);
        item.marker.setLatLng([placed.at[0], placed.at[1]]);
        // the text is drawn unturned at its centre, then turned about it
        var cx = placed.x + item.w / 2 - item.tw / 2, cy = placed.y + item.h / 2 - item.th / 2;
        item.box.style.display = "";
        item.box.setAttribute("data-shown", "1");
        item.box.style.transform = "translate(" + cx.toFixed(1) + "px," + cy.toFixed(1) + "px)" +
          (item.angle ? " rotate(" + item.angle + "deg)" : "");
      });
    }
    onMap.on("zoomend", place);
    onMap.on("resize", place);
    onMap.on("moveend", place);
    function setAreas(points) {
      ["east", "west"].forEach(function (key) {
        var p = points && points[key], item = areas[key];
        item.off = !p;
        if (p) {
          item.spec.lat = p[0];
          item.spec.lon = p[1];
          if (item.marker) item.marker.setLatLng(p);
        }
      });
      place();
    }
    function list() {  // what each label shows, for tests and tools
      var size = onMap.getSize();
      return labels.map(function (item) {
        var p = onMap.latLngToContainerPoint([item.spec.lat, item.spec.lon]);
        return {text: item.spec.text, rank: item.spec.rank, kind: item.spec.kind,
                shown: !!item.box && item.box.hasAttribute("data-shown"),
                inView: p.x >= 0 && p.y >= 0 && p.x <= size.x && p.y <= size.y};
      });
    }
    return {place: place, setAreas: setAreas, list: list};
  }
  // made when first placed: the first map is drawn (and painted) before its names
  var named = null;
  function names() { return named || (named = labeller(map, cfg.labels, 0)); }
  function placeLabels() { names().place(); }
  function setAreaLabels(points) { names().setAreas(points); }
  function highlight(cells, routes) {
    highlighted = {cells: {}, routes: {}};
    (cells || []).forEach(function (id) { highlighted.cells[id] = true; });
    (routes || []).forEach(function (id) { highlighted.routes[id] = true; });
    var d = current;
    current = null;
    setDay(d);
    cfg.cells.eachLayer(function (l) {
      if (highlighted.cells[l.feature.properties.id]) l.bringToFront();
    });
    cfg.casing.bringToFront();
    cfg.routes.bringToFront();
  }
  // ------------------------------------------------------------------ keyboard
  // The map is one tab stop. Arrow keys move a cursor to the nearest district, place or
  // route in that direction and say its name and state on the date; Enter opens its details;
  // Shift+arrows pan and +/- zoom (Leaflet's own keys). No shape is a tab stop of its own.
  var container = map.getContainer(), cursor = null, ring = null, seq = 0;
  var said = el("div", null, {"class": "fl-sr", role: "status", "aria-live": "polite"});
  container.appendChild(said);
  // what the cursor can reach: [layer, kind, popup builder]
  function stops() {
    var out = [];
    cfg.cells.eachLayer(function (l) { out.push([l, "cell", cellPopup]); });
    cfg.sites.eachLayer(function (l) { out.push([l, "site", sitePopup]); });
    cfg.routes.eachLayer(function (l) {
      if (active(D.routes[l.feature.properties.id].rows, current)) out.push([l, "route", routePopup]);
    });
    return out;
  }
  function anchor(stop) {
    var l = stop[0];
    return stop[1] === "cell" ? l.getBounds().getCenter() : stop[1] === "site" ? l.getLatLng()
                              : l.getCenter();
  }
  function describe(stop) {
    var l = stop[0], id = l.feature.properties.id;
    if (stop[1] === "site") return D.sites[id].name + ": " + D.sites[id].kind;
    if (stop[1] === "route") {
      var info = D.routes[id], rr = active(info.rows, current);
      return info.name + ": " + label("status." + rr[2]) + " (" + factionName(rr[3]) + "), " +
        longDate(current);
    }
    var cell = D.cells[id], r = active(cell.rows, current);
    var who = !r ? factionName("none") : r[2] === "contested"
      ? S.contested_by + " " + r[3].map(factionName).join(" / ") : factionName(r[2]);
    return cell.name + ": " + who + ", " + longDate(current);
  }
  function showCursor(stop) {
    var was = cursor;
    if (was && was[0].getElement()) was[0].getElement().removeAttribute("id");
    cursor = stop;
    if (ring) { map.removeLayer(ring); ring = null; }
    if (stop && stop[1] !== "cell") {  // places and routes get a ring; districts an outline
      ring = L.circleMarker(anchor(stop), {radius: 14, color: "#000000", weight: 3,
                                           dashArray: "5 3", fill: false, interactive: false})
        .addTo(map);
    }
    cfg.cells.eachLayer(function (l) { l.setStyle(outline(l)); });
    if (!stop) { container.removeAttribute("data-cursor"); return; }
    var node = stop[0].getElement(), id = "fl-cursor-" + cfg.view + "-" + (++seq);
    if (node) { node.setAttribute("id", id); node.setAttribute("aria-label", describe(stop)); }
    if (stop[1] === "cell") stop[0].bringToFront();
    cfg.casing.bringToFront();
    cfg.routes.bringToFront();
    if (ring) ring.bringToFront();
    var at = anchor(stop);
    if (!map.getBounds().contains(at)) map.panTo(at);
    said.textContent = describe(stop);
    container.setAttribute("data-cursor", stop[0].feature.properties.id);
    container.setAttribute("data-cursor-kind", stop[1]);
  }
  function moveCursor(dx, dy) {
    var from = cursor ? map.latLngToContainerPoint(anchor(cursor)) : map.getSize().divideBy(2);
    var best = null, bestScore = 1e9;
    stops().forEach(function (stop) {
      if (cursor && stop[0] === cursor[0]) return;
      var c = map.latLngToContainerPoint(anchor(stop)), vx = c.x - from.x, vy = c.y - from.y;
      var d = Math.sqrt(vx * vx + vy * vy);
      if (cursor) {
        var along = (vx * dx + vy * dy) / (d || 1);
        if (along < 0.5) return;  // within 60 degrees of the direction pressed
        d = d * (2 - along);
      }
      if (d < bestScore) { bestScore = d; best = stop; }
    });
    if (best) showCursor(best);
  }
  var ARROWS = {ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1]};
  container.addEventListener("keydown", function (ev) {
    if (ev.target !== container || ev.altKey || ev.ctrlKey || ev.metaKey) return;
    var dir = ARROWS[ev.key];
    if (dir && !ev.shiftKey) {
      ev.preventDefault();
      ev.stopPropagation();  // not Leaflet's panning: Shift+arrows pan
      moveCursor(dir[0], dir[1]);
    } else if (ev.key === "Enter" && cursor) {
      ev.preventDefault();
      showInfo(cursor[0], anchor(cursor), cursor[2]);
    } else if (ev.key === "Escape" && sheet && !sheet.hidden) {
      closeSheet();
    }
  }, true);
  container.addEventListener("blur", function () { if (cursor) showCursor(null); });

  container.setAttribute("role", "region");
  return {
    map: map,
    setDay: setDay,
    day: function () { return current; },
    isoOf: isoOf,
    dayOf: function (iso) {
      var p = String(iso).split("-");
      return Math.round((Date.UTC(+p[0], +p[1] - 1, +p[2]) - T0) / DAY);
    },
    longDate: longDate,
    citeList: citeList,
    refreshInfo: function () { if (shown) showInfo(shown.layer, shown.at, shown.build, true); },
    routesOn: function (d) {  // [id, status, serves] of the routes in force on day d
      var out = [];
      Object.keys(D.routes).forEach(function (id) {
        var r = active(D.routes[id].rows, d);
        if (r) out.push([id, r[2], r[3]]);
      });
      return out;
    },
    highlight: highlight,
    // what a compare map needs to draw as this map does (compare.js)
    fillOn: fillOn,
    holderOn: holderOn,
    routeStyle: function (id, d) { return routeStyle(id, d, false); },
    baseOutline: baseOutline,
    factionName: factionName,
    geometry: function () {  // the cells and routes as drawn, once (GeoJSON)
      return {cells: cfg.cells.toGeoJSON(), routes: cfg.routes.toGeoJSON()};
    },
    setAreaLabels: setAreaLabels,
    placeLabels: placeLabels,
    labels: function () { return names().list(); },
    // the top-ranked labels on another map (compare): {place, setAreas, list}
    labeller: function (onMap) { return labeller(onMap, cfg.labels, 1); }
  };
}
