/* frontlines reader panel: the date and everything that follows it, in the browser.
 *
 * Reads the JSON of frontlines.panel.panel_data (cfg.panel) and drives the map through the
 * API of frontlinesTimemap. It owns the date: the slider, play (one day per 100 ms at 1x,
 * stopping at each chapter), the chapters with their captions and highlights, the day's
 * figures, routes, events and summary, the address bar and the reader's deep link. Under
 * Voila it keeps the kernel in step: it writes the date into the app's hidden .fl-sync text
 * widget, and follows the .fl-beacon element when the kernel moves the date itself.
 * Texts from the data are inserted with textContent; captions and citations arrive as HTML
 * escaped by Python (mistune with escaping, jinja2 autoescaping).
 */
/* The map's first view, set by the map's own script before any layer is added (the map is
 * made without one). The map was made where folium put it; it belongs in the panel's stage,
 * with the legend folium wrote beside it. There it is fitted to the city at once, without
 * animation, so that the layers are laid out and drawn once, where they will stay. */
function frontlinesFirstView(map, view, bounds) {
  "use strict";
  var root = document.getElementById("fl-panel-" + view);
  if (root) {
    var stage = root.querySelector(".fl-stage");
    stage.insertBefore(map.getContainer(), stage.firstChild);
    Array.prototype.forEach.call(root.parentElement.children, function (n) {
      if (n.classList && n.classList.contains("fl-legend")) stage.appendChild(n);
    });
  }
  var size = map.getSize();
  // a host that hides the page while it loads: the panel fits the city once it has a size
  if (size.x && size.y) map.fitBounds(bounds, {animate: false});
  else map.setView(L.latLngBounds(bounds).getCenter(), 12, {animate: false});
}

/* Start the reader panel: the map in its place and coloured for its first date at once;
 * everything else (names, figures, events, controls) after the frame that paints it (or a
 * second later, in a tab that paints no frames while hidden). */
function frontlinesStart(cfg) {
  "use strict";
  var tm = frontlinesTimemap(cfg), started = false;
  tm.setDay(tm.dayOf(cfg.date));
  function start() {
    if (started) return;
    started = true;
    setTimeout(function () { frontlinesPanel(cfg, tm); }, 0);
  }
  if (window.requestAnimationFrame) window.requestAnimationFrame(start);
  setTimeout(start, 1000);
}

function frontlinesPanel(cfg, tm) {
  "use strict";
  var P = cfg.panel, S = P.strings, D = cfg.data, map = tm.map;
  var LAST = P.siege.length - 1;
  var root = document.getElementById("fl-panel-" + cfg.view);
  if (!root) return null;
  var container = map.getContainer();
  var stage = root.querySelector(".fl-stage");
  // The date bar sticks to the bottom of the screen while the map is on it. An ancestor that
  // clips its overflow without scrolling (a notebook's output area) would pin it instead: such
  // ancestors are opened, up to the element that really scrolls the page. Run once laid out.
  function unclip() {
    if (!root.offsetHeight) return;
    for (var up = root.parentElement; up && up !== document.body; up = up.parentElement) {
      var cs = window.getComputedStyle(up);
      if (cs.overflowX === "visible" && cs.overflowY === "visible") continue;
      // the page's scroller: taller content, or a box as tall as the window
      if (up.scrollHeight > up.clientHeight + 1 || up.clientHeight >= window.innerHeight - 2) break;
      up.style.overflow = "visible";
    }
  }
  var ownPage = !document.querySelector(".fl-inline-map") && root.parentElement === document.body;
  var hostWin = window;
  if (window.parent !== window) {
    try { if (window.parent.document) hostWin = window.parent; } catch (e) { hostWin = window; }
  }
  function q(sel) { return root.querySelector(sel); }
  function fmt(tpl, f) {
    return String(tpl).replace(/\{(\w+)\}/g, function (m, k) {
      return Object.prototype.hasOwnProperty.call(f, k) ? String(f[k]) : m;
    });
  }
  function plural(forms, n) {
    var cat = P.plural[String(n)] || "other";
    return fmt(forms[cat] || forms.other, {count: n});
  }
  var ISO = /^\d{4}-\d{2}-\d{2}$/;
  function validIso(s) {
    if (!ISO.test(s)) return false;
    var p = s.split("-"), dt = new Date(Date.UTC(+p[0], +p[1] - 1, +p[2]));
    return dt.toISOString().slice(0, 10) === s;
  }
  function dayOf(iso) { return tm.dayOf(iso); }
  function clamp(d) { return Math.max(0, Math.min(LAST, d)); }
  function stretchAt(d) {
    var s = P.stretches, lo = 0;
    for (var i = 0; i < s.length; i++) if (s[i].start <= d) lo = i;
    return s[lo];
  }
  function chapterOn(d) {
    for (var i = 0; i < P.chapters.length; i++) if (P.chapters[i].day === d) return P.chapters[i];
    return null;
  }

  // ---------------------------------------------------------------- the first date
  var first = dayOf(cfg.date);
  // #date=YYYY-MM-DD (a page opened as a file, or a link that keeps the date out of the query)
  (location.hash || "").replace(/^#/, "").split("&").forEach(function (kv) {
    var p = kv.split("=");
    if (p[0] === "date" && validIso(p[1]) && p[1].slice(0, 4) === "2016") first = dayOf(p[1]);
  });
  var firstChapter = null;
  (function () {  // the reader's link, read as frontlines.links.date_from_query reads it
    var q;
    try { q = new URLSearchParams(hostWin.location.search); } catch (e) { return; }
    var chapter = (q.get("chapter") || "").slice(0, 40), date = (q.get("date") || "").trim();
    if (chapter) {
      P.chapters.forEach(function (c) { if (c.id === chapter) { first = c.day; firstChapter = c; } });
    } else if (validIso(date) && date.slice(0, 4) === "2016") {
      first = dayOf(date);
    }
  })();

  // ---------------------------------------------------------------- drawing a day
  var current = null, slider = q(".fl-slider"), output = q(".fl-date"), badge = q(".fl-date-badge");
  var liveTimer = null, syncTimer = null, urlTimer = null, stretch = null, shownChapter = null;
  var keepEvents = false, shownRoutes = -1;
  var fitTo = [cfg.bounds, {animate: false}];  // what the map fits until the reader moves it

  function siegeText(d, key) {
    var s = P.siege[d], days = plural(S["unit.days"], s[1]);
    return s[0] > 0 ? fmt(S[key + ".besieged"], {current: s[0], total_days: days})
                    : fmt(S[key + ".not_besieged"], {total_days: days});
  }
  // frontlines.panel.summary_sentence writes the same sentence in Python
  function areaText(a) { return fmt(S["summary.area"], {faction: S["faction." + a[0]], km2: a[1]}); }
  function sentence(d) {
    var st = stretchAt(d);
    var routes = tm.routesOn(d).map(function (r) {
      return fmt(S["summary.route"], {name: D.routes[r[0]].name, status: S["status." + r[1]],
                                      serves: S["faction." + r[2]]});
    });
    return fmt(S["summary.sentence"], {date: tm.longDate(d), areas: st.areas.map(areaText).join(", "),
                                       siege: siegeText(d, "summary"), routes: routes.join("; ")});
  }
  function el(tag, text, attrs) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = text;
    if (attrs) for (var k in attrs) e.setAttribute(k, attrs[k]);
    return e;
  }
  function routeSwatch(status, serves) {
    var NS = "http://www.w3.org/2000/svg", svg = document.createElementNS(NS, "svg");
    svg.setAttribute("width", "30"); svg.setAttribute("height", "10");
    svg.setAttribute("aria-hidden", "true");
    var ln = document.createElementNS(NS, "line");
    [["x1", 1], ["y1", 5], ["x2", 29], ["y2", 5], ["stroke", D.colours[serves] || "#333"],
     ["stroke-width", 4]].forEach(function (a) { ln.setAttribute(a[0], a[1]); });
    if (D.dash[status]) ln.setAttribute("stroke-dasharray", D.dash[status]);
    svg.appendChild(ln);
    return svg;
  }
  function drawFigures(d) {
    var st = stretchAt(d), stats = q(".fl-stats");
    stats.textContent = "";
    stats.appendChild(el("strong", siegeText(d, "stats")));
    st.areas.forEach(function (a) { stats.appendChild(document.createTextNode(" · " + areaText(a))); });
    var routes = tm.routesOn(d);
    var open = routes.filter(function (r) { return r[1] === "open"; }).length;
    stats.appendChild(document.createTextNode(" · " + fmt(S["ui.routes_open"],
      {n: open, total: routes.length})));
    if (st === stretch && routes.length === shownRoutes) return;
    stretch = st;
    shownRoutes = routes.length;
    var list = q(".fl-routes");
    list.textContent = "";
    routes.forEach(function (r) {  // [id, status, serves]
      var li = el("li");
      li.appendChild(routeSwatch(r[1], r[2]));
      li.appendChild(document.createTextNode(D.routes[r[0]].name + ": "));
      li.appendChild(el("strong", S["status." + r[1]]));
      li.appendChild(document.createTextNode(" (" + S["faction." + r[2]] + ")"));
      list.appendChild(li);
    });
    tm.setAreaLabels(st.labels);
  }
  function drawEvents(d) {
    var list = q(".fl-events ul");
    if (!P.events) return;  // until the late data has come
    if (!keepEvents) {
      var near = P.events.map(function (e, i) { return [Math.abs(e[0] - d), e[0], i]; });
      near.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
      near = near.slice(0, 5).map(function (x) { return x[2]; }).sort(function (a, b) { return a - b; });
      list.textContent = "";
      near.forEach(function (i) {
        var e = P.events[i], li = el("li", null, {"data-day": e[0]});
        var b = el("button", e[1] + ": " + e[3], {type: "button"});
        b.addEventListener("click", function () { chooseEvent(e[0]); });
        li.appendChild(b);
        var more = el("details"), sum = el("summary", e[2]);
        more.appendChild(sum);
        more.appendChild(el("p", e[4]));
        more.appendChild(tm.citeList(e[5]));
        li.appendChild(more);
        list.appendChild(li);
      });
    }
    list.querySelectorAll("li").forEach(function (li) {
      li.setAttribute("aria-current", +li.getAttribute("data-day") === d ? "true" : "false");
    });
  }
  function chooseEvent(day) {
    keepEvents = true;
    go(day, "event");
    keepEvents = false;
    var r = stage.getBoundingClientRect();
    if (r.bottom < 0 || r.top > (window.innerHeight || 0)) stage.scrollIntoView({block: "start"});
  }
  function showChapter(c, fit) {
    var cap = q(".fl-caption");
    shownChapter = c;
    root.querySelectorAll(".fl-chapters button").forEach(function (b) {
      b.setAttribute("aria-current", c && b.getAttribute("data-chapter") === c.id ? "true" : "false");
    });
    if (!c) { cap.hidden = true; tm.highlight([], []); return; }
    var body = cap.querySelector(".fl-caption-body");
    body.innerHTML = c.caption;  // Markdown rendered by Python with HTML escaped
    if (!c.caption) body.textContent = c.title;
    cap.hidden = false;
    tm.highlight(c.cells, c.routes);
    if (fit && c.bounds) {
      var fit = {padding: [24, 24], maxZoom: 14};
      map.fitBounds(c.bounds, fit);
      fitTo = [c.bounds, L.extend({animate: false}, fit)];  // kept while the host lays out
    }
  }
  function announce(text) {
    clearTimeout(liveTimer);
    liveTimer = setTimeout(function () { q(".fl-live").textContent = text; }, 0);
  }
  function go(d, from) {
    d = clamp(d);
    if (d === current) return;
    current = d;
    tm.setDay(d);
    var text = tm.longDate(d), iso = tm.isoOf(d);
    slider.value = String(d);
    slider.setAttribute("aria-valuetext", text);
    output.textContent = text;
    badge.textContent = text;
    drawFigures(d);
    drawEvents(d);
    q(".fl-summary").textContent = sentence(d);
    var link = q(".fl-link");
    link.setAttribute("href", "?date=" + iso);
    link.textContent = fmt(S["ui.link"], {date: text});
    var title = fmt(S["map.title"], {date: text});
    container.setAttribute("aria-label", title);
    if (ownPage) document.title = title;
    var c = chapterOn(d);
    if (c !== shownChapter) showChapter(c, from === "chapter");
    // say one short sentence once the reader stops (not at every step of play)
    clearTimeout(liveTimer);
    if (!playing) {
      liveTimer = setTimeout(function () {
        q(".fl-live").textContent = fmt(
          P.siege[d][0] > 0 ? S["live.besieged"] : S["live.not_besieged"],
          {date: text, current: P.siege[d][0]});
      }, 700);
    }
    clearTimeout(syncTimer);
    syncTimer = setTimeout(function () { syncKernel(iso); }, playing ? 400 : 50);
    clearTimeout(urlTimer);
    // the address a reader came by already shows the first view (and rewriting it costs)
    if (!opening) urlTimer = setTimeout(function () { followUrl(iso); }, 250);
  }

  // ---------------------------------------------------------------- the address bar
  function followUrl(iso) {
    if (hostWin !== window && !ownPage) return;
    try {
      var q = new URLSearchParams(location.search);
      if (q.get("date") === iso && !q.get("chapter")) return;
      q.delete("chapter");
      q.set("date", iso);
      history.replaceState(history.state, "", location.pathname + "?" + q.toString() + location.hash);
    } catch (e) { /* a srcdoc or sandboxed page has no address of its own */ }
  }

  // ---------------------------------------------------------------- play
  var playing = false, timer = null, speed = 1;
  var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var playBtn = q(".fl-play");
  function setPlaying(on) {
    playing = on;
    clearTimeout(timer);
    playBtn.setAttribute("aria-pressed", on ? "true" : "false");
    playBtn.textContent = on ? S["ui.pause"] : (reduced ? S["ui.reduced_play"] : S["ui.play"]);
    root.setAttribute("data-playing", on ? "1" : "0");
    if (on) timer = setTimeout(tick, 100 / speed);
  }
  function tick() {
    if (!playing) return;
    var next = current + 1;
    if (next > LAST) { setPlaying(false); return; }
    go(next, "play");
    if (chapterOn(next)) {
      setPlaying(false);
      root.setAttribute("data-stopped-at", chapterOn(next).id);
      announce(S["panel.chapter_stop"]);
      return;
    }
    timer = setTimeout(tick, 100 / speed);
  }
  playBtn.addEventListener("click", function () {
    if (reduced) {  // no motion: step to the next chapter instead
      var next = P.chapters.filter(function (c) { return c.day > current; })[0];
      go(next ? next.day : 0, "chapter");
      return;
    }
    if (playing) { setPlaying(false); return; }
    if (current >= LAST) go(0, "play");
    root.removeAttribute("data-stopped-at");
    setPlaying(true);
  });
  q(".fl-speed").addEventListener("change", function (ev) {
    var v = parseFloat(ev.target.value);
    speed = v > 0 ? v : 1;
  });
  q(".fl-prev").addEventListener("click", function () { setPlaying(false); go(current - 1, "step"); });
  q(".fl-next").addEventListener("click", function () { setPlaying(false); go(current + 1, "step"); });
  slider.addEventListener("input", function () { setPlaying(false); go(+slider.value, "slider"); });
  root.querySelectorAll(".fl-chapters button").forEach(function (b) {
    b.addEventListener("click", function () {
      setPlaying(false);
      var id = b.getAttribute("data-chapter");
      P.chapters.forEach(function (c) {
        if (c.id !== id) return;
        if (current === c.day) showChapter(c, true);
        else go(c.day, "chapter");
      });
    });
  });
  q(".fl-caption-close").addEventListener("click", function () {
    q(".fl-caption").hidden = true;
    slider.focus();
  });

  // ---------------------------------------------------------------- the kernel (Voila)
  function hostDoc() { try { return hostWin.document; } catch (e) { return null; } }
  function syncKernel(iso) {
    var doc = hostDoc(), box = doc && doc.querySelector(".fl-sync-" + cfg.view + " input");
    if (!box || box.value === iso) return;
    box.value = iso;
    box.dispatchEvent(new Event("change", {bubbles: true}));
  }
  function watchBeacon() {
    var doc = hostDoc();
    if (!doc) return;
    var sel = '.fl-beacon[data-view="' + cfg.view + '"]';
    var beacon = doc.querySelector(sel);
    if (!beacon) { setTimeout(watchBeacon, 250); return; }
    var read = function () {
      var b = doc.querySelector(sel), iso = b && b.textContent.trim();
      if (iso && validIso(iso)) { setPlaying(false); go(dayOf(iso), "kernel"); }
    };
    var seen = beacon.textContent;
    if (seen.trim()) read();
    new MutationObserver(read).observe(beacon.parentElement || doc.body,
      {childList: true, subtree: true, characterData: true});
  }
  // a page without a kernel (the static site) has no beacon or sync box to wait for
  var kernel = !ownPage && cfg.kernel !== false;
  if (kernel) watchBeacon();
  // the kernel's sync box appears once Voila's front end has drawn the widgets
  (function waitForSync(n) {
    var doc = hostDoc();
    if (!doc || !kernel) return;
    if (doc.querySelector(".fl-sync-" + cfg.view + " input")) { syncKernel(tm.isoOf(current)); return; }
    if (n < 600) setTimeout(function () { waitForSync(n + 1); }, 250);
  })(0);

  // ---------------------------------------------------------------- fit the city
  // The map may be built while its host hides it (Voila shows its page once its front end has
  // loaded): fit the city when the map first gets a size, and keep fitting it while the host
  // lays the page out, until the reader moves the map.
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
      map.invalidateSize({pan: false});
      if (!moved) map.fitBounds(fitTo[0], fitTo[1]);
      tm.placeLabels();
      unclip();
    }).observe(container);
  }

  setPlaying(false);
  // the host may lay its page out late (Voila moves the cells into its own panels on load)
  if (document.readyState !== "complete") window.addEventListener("load", unclip);
  else unclip();
  var opening = true;
  go(first, firstChapter ? "chapter" : "link");
  opening = false;
  tm.placeLabels();
  var compare = frontlinesCompare(cfg, tm, P, root, stretchAt);
  // The citations and the events may come after the map (cfg.late: a script that calls
  // window.frontlinesLate(data)), so that the first map costs less to draw.
  if (cfg.late) {
    window.frontlinesLate = function (late) {
      D.sources = late.sources;
      P.events = late.events;
      drawEvents(current);
      tm.refreshInfo();
      root.setAttribute("data-late", "1");
    };
    var tag = document.createElement("script");
    tag.src = cfg.late;
    tag.async = true;
    document.head.appendChild(tag);
  }
  var api = {
    setDate: function (iso) { if (validIso(iso)) go(dayOf(iso), "api"); },
    date: function () { return tm.isoOf(current); },
    zoom: function () { return map.getZoom(); },
    map: function () { return map; },
    playing: function () { return playing; },
    labels: tm.labels,
    sentence: sentence,
    compare: compare,
    go: go
  };
  window.frontlinesTimemap = api;
  window.addEventListener("message", function (ev) {
    var m = ev.data;
    if (m && m.type === "frontlines:date" && typeof m.date === "string") api.setDate(m.date);
  });
  return api;
}
