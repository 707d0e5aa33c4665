// The dashboard's script: it follows the server's update events and draws
// the progress table and the uPlot charts. It loads nothing from anywhere:
// uPlot is inlined above it, and the page's policy allows only this server.
"use strict";

(function () {
  var palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"];
  var state = { group: "", point: 0, metric: "", window: "", wide: false };
  var source = null, last = null, updates = 0;
  var fanPlot = null, fanKey = "", narrowPlot = null, narrowKey = "";

  function $(id) { return document.getElementById(id); }

  function colour(i, alpha) {
    var c = palette[i % palette.length];
    if (alpha === undefined) return c;
    var n = parseInt(c.slice(1), 16);
    return "rgba(" + (n >> 16) + "," + ((n >> 8) & 255) + "," + (n & 255) + "," + alpha + ")";
  }

  function fmt(x) {
    if (x === null || x === undefined || !isFinite(x)) return "–";
    var a = Math.abs(x);
    if (a !== 0 && (a >= 1e6 || a < 1e-3)) return x.toExponential(2).replace("e+", "e");
    return x.toLocaleString("en-US", { maximumSignificantDigits: 4 });
  }

  function duration(s) {
    if (s === null || s === undefined || !isFinite(s)) return "–";
    s = Math.round(s);
    if (s < 60) return s + " s";
    if (s < 3600) return Math.floor(s / 60) + " min " + (s % 60) + " s";
    if (s < 86400) return Math.floor(s / 3600) + " h " + Math.floor((s % 3600) / 60) + " min";
    return Math.floor(s / 86400) + " d " + Math.floor((s % 86400) / 3600) + " h";
  }

  function ago(t, now) {
    var s = (Date.parse(now) - Date.parse(t)) / 1000;
    return isFinite(s) ? duration(Math.max(0, s)) + " ago" : "–";
  }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function connect() {
    if (source) source.close();
    var q = new URLSearchParams();
    if (state.group) q.set("group", state.group);
    q.set("point", String(state.point));
    if (state.metric) q.set("metric", state.metric);
    if (state.window) q.set("window", state.window);
    source = new EventSource("events?" + q.toString());
    source.addEventListener("update", function (ev) {
      updates++;
      document.body.dataset.updates = String(updates);
      $("conn").textContent = "live";
      $("conn").className = "live";
      render(JSON.parse(ev.data));
    });
    source.onerror = function () {
      $("conn").textContent = "reconnecting…";
      $("conn").className = "lost";
    };
  }

  function render(s) {
    last = s;
    document.body.dataset.version = String(s.version);
    $("stamp").textContent = "directories: " + s.dirs.join(", ") + " · updated " + new Date(s.time).toLocaleTimeString();
    renderRuns(s);
    renderGroups(s);
    if (s.view) {
      $("charts").hidden = false;
      renderControls(s);
      renderFan(s);
      renderEffects(s);
    } else {
      $("charts").hidden = true;
    }
  }

  function renderGroups(s) {
    var box = $("groups");
    box.textContent = "";
    s.groups.forEach(function (g) {
      var p = el("p", { "class": "note" });
      var shards = g.shards ? " · " + g.runs + " of " + g.shards + " shards seen" : "";
      p.textContent = g.experiment + ": " + g.done + " of " + g.total + " replications (" +
        Math.floor(100 * g.done / Math.max(1, g.total)) + "%)" + shards +
        (g.done < g.total ? " · ETA " + duration(g.eta_seconds) : " · all finished");
      box.appendChild(p);
    });
  }

  function renderRuns(s) {
    var body = document.querySelector("#runs tbody");
    body.textContent = "";
    var done = 0;
    s.runs.forEach(function (r) {
      done += r.done;
      var tr = el("tr", { "class": "state-" + r.state, "data-path": r.path });
      var dir = s.dirs[+r.dir] || "";
      tr.appendChild(el("td", {}, r.path === "." ? dir : dir + "/" + r.path));
      tr.appendChild(el("td", {}, r.experiment || ""));
      tr.appendChild(el("td", {}, r.shard || "whole plan"));
      tr.appendChild(el("td", {}, r.state));
      var bar = el("div", { "class": "bar" }), fill = el("div");
      fill.style.width = (100 * r.fraction).toFixed(1) + "%";
      bar.appendChild(fill);
      var td = el("td"); td.appendChild(bar); tr.appendChild(td);
      tr.appendChild(el("td", { "class": "num" }, r.done + " / " + r.total));
      tr.appendChild(el("td", { "class": "num" }, r.rate === null ? "–" : fmt(r.rate) + "/s"));
      tr.appendChild(el("td", { "class": "num" }, r.state === "running" ? duration(r.eta_seconds) : "–"));
      var age = (Date.parse(s.time) - Date.parse(r.changed)) / 1000;
      tr.appendChild(el("td", {}, ago(r.changed, s.time)));
      if (r.state === "running" && age > 600) {
        r.problem = (r.problem ? r.problem + "; " : "") + "no progress for " + duration(age) + ": is it still running?";
      }
      var last = el("td");
      if (r.report) { var a = el("a", { href: r.report.replace(/^\//, "") }, "report"); last.appendChild(a); }
      if (r.problem) last.appendChild(el("span", { "class": "problem" }, " " + r.problem));
      if (r.dropped) last.appendChild(el("span", { "class": "problem" }, " " + r.dropped + " corrupt record(s) skipped"));
      tr.appendChild(last);
      body.appendChild(tr);
    });
    document.body.dataset.done = String(done);
    $("empty").hidden = s.runs.length > 0;
  }

  function fill(select, values, labels, chosen) {
    var key = values.join("\u0000");
    if (select.dataset.key !== key) {
      select.textContent = "";
      values.forEach(function (v, i) { select.appendChild(el("option", { value: v }, labels ? labels[i] : v)); });
      select.dataset.key = key;
    }
    select.value = chosen;
  }

  function renderControls(s) {
    var v = s.view, g = null;
    s.groups.forEach(function (x) { if (x.key === v.group) g = x; });
    if (!g) return;
    state.group = v.group; state.point = v.point; state.metric = v.metric.name; state.window = v.window;
    fill($("group"), s.groups.map(function (x) { return x.key; }), s.groups.map(function (x) { return x.experiment + " (" + x.key + ")"; }), v.group);
    fill($("point"), g.points.map(function (_, i) { return String(i); }), g.points, String(v.point));
    $("point-label").hidden = g.points.length < 2;
    var names = g.metrics.map(function (m) { return m.name; });
    var charted = g.charted.filter(function (n) { return names.indexOf(n) >= 0; });
    var order = charted.concat(names.filter(function (n) { return charted.indexOf(n) < 0; }));
    fill($("metric"), order, null, v.metric.name);
    fill($("window"), g.windows, g.window_labels, v.window);
  }

  function size(id, h) {
    var w = Math.max(320, Math.min(1100, $(id).clientWidth || document.body.clientWidth - 40));
    return { width: w, height: h };
  }

  function utc(ts) { return uPlot.tzDate(new Date(ts * 1e3), "Etc/UTC"); }

  // hideBandLegend hides the legend entries of the band edges (every
  // series but x and the medians), so that the legend lists the arms.
  function hideBandLegend(u, keep) {
    u.root.querySelectorAll(".u-legend .u-series").forEach(function (e, i) {
      if (i > 0 && !keep(i)) e.style.display = "none";
    });
  }

  function renderFan(s) {
    var v = s.view, wide = state.wide, per = wide ? 5 : 3;
    $("fan-title").textContent = "Fan chart: " + v.metric.name + (v.metric.unit ? " (" + v.metric.unit + ")" : "");
    var data = [v.months], series = [{}], bands = [];
    v.fans.forEach(function (f, i) {
      var base = data.length;
      data.push(f.median, f.p25, f.p75);
      series.push({ label: f.arm, stroke: colour(i), width: 2, points: { show: false } },
        { label: f.arm + " 25%", stroke: colour(i, 0.3), width: 0.5, points: { show: false } },
        { label: f.arm + " 75%", stroke: colour(i, 0.3), width: 0.5, points: { show: false } });
      bands.push({ series: [base + 2, base + 1], fill: colour(i, 0.18) });
      if (wide) {
        data.push(f.p05, f.p95);
        series.push({ label: f.arm + " 5%", stroke: colour(i, 0.2), width: 0.5, dash: [4, 4], points: { show: false } },
          { label: f.arm + " 95%", stroke: colour(i, 0.2), width: 0.5, dash: [4, 4], points: { show: false } });
        bands.push({ series: [base + 4, base + 3], fill: colour(i, 0.07) });
      }
    });
    $("fan-n").textContent = "Replications finished: " + v.fans.map(function (f) { return f.arm + " " + f.n; }).join(", ") + ".";
    var key = [v.group, v.point, v.metric.name, wide, v.fans.map(function (f) { return f.arm; }).join()].join("|");
    var box = $("fan");
    if (fanPlot && fanKey === key) {
      fanPlot.setData(data);
    } else {
      if (fanPlot) fanPlot.destroy();
      box.textContent = "";
      var o = size("fan", 380);
      o.tzDate = utc;
      o.series = series;
      o.bands = bands;
      o.scales = { x: { time: true } };
      o.axes = [{}, { label: v.metric.unit || v.metric.name, size: 70, values: function (u, vals) { return vals.map(fmt); } }];
      o.legend = { live: true };
      o.hooks = { draw: [function () { box.dataset.drawn = String((+box.dataset.drawn || 0) + 1); }] };
      fanPlot = new uPlot(o, data, box);
      hideBandLegend(fanPlot, function (i) { return (i - 1) % per === 0; });
      fanKey = key;
    }
    box.dataset.arms = String(v.fans.length);
    box.dataset.replications = String(v.fans.reduce(function (a, f) { return a + f.n; }, 0));
  }

  function renderEffects(s) {
    var v = s.view, box = $("effects");
    $("effects-title").textContent = "Paired effects: " + v.metric.name + ", window " + v.window;
    box.textContent = "";
    if (!v.effects.length) {
      box.appendChild(el("p", { "class": "note" }, "One arm only: no paired effect."));
      return;
    }
    var t = el("table"), head = el("tr");
    ["arm", "pairs", "baseline mean", "arm mean", "difference", "95% interval", ""].forEach(function (h) { head.appendChild(el("th", {}, h)); });
    t.appendChild(head);
    var lo = 0, hi = 0;
    v.effects.forEach(function (e) {
      [e.lo, e.hi, e.diff].forEach(function (x) { if (x !== null) { lo = Math.min(lo, x); hi = Math.max(hi, x); } });
    });
    if (hi === lo) { hi += 1; lo -= 1; }
    var W = 220, H = 16, pad = 6, X = function (x) { return pad + (W - 2 * pad) * (x - lo) / (hi - lo); };
    v.effects.forEach(function (e, i) {
      var tr = el("tr", { "data-arm": e.arm, "data-n": String(e.n) });
      tr.appendChild(el("td", {}, e.arm + (e.definitional ? " †" : "")));
      tr.appendChild(el("td", { "class": "num" }, String(e.n)));
      tr.appendChild(el("td", { "class": "num" }, fmt(e.base_mean)));
      tr.appendChild(el("td", { "class": "num" }, fmt(e.arm_mean)));
      tr.appendChild(el("td", { "class": "num" }, e.n ? fmt(e.diff) : "waiting"));
      tr.appendChild(el("td", { "class": "num" }, e.lo === null ? "–" : "[" + fmt(e.lo) + ", " + fmt(e.hi) + "]"));
      var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
      svg.setAttribute("class", "forest"); svg.setAttribute("width", W); svg.setAttribute("height", H);
      var zero = document.createElementNS(svg.namespaceURI, "line");
      zero.setAttribute("x1", X(0)); zero.setAttribute("x2", X(0)); zero.setAttribute("y1", 0); zero.setAttribute("y2", H);
      zero.setAttribute("stroke", "#999"); svg.appendChild(zero);
      if (e.lo !== null) {
        var line = document.createElementNS(svg.namespaceURI, "line");
        line.setAttribute("x1", X(e.lo)); line.setAttribute("x2", X(e.hi)); line.setAttribute("y1", H / 2); line.setAttribute("y2", H / 2);
        line.setAttribute("stroke", colour(i + 1)); line.setAttribute("stroke-width", 2); svg.appendChild(line);
      }
      if (e.diff !== null) {
        var dot = document.createElementNS(svg.namespaceURI, "circle");
        dot.setAttribute("cx", X(e.diff)); dot.setAttribute("cy", H / 2); dot.setAttribute("r", 4); dot.setAttribute("fill", colour(i + 1));
        svg.appendChild(dot);
      }
      var td = el("td"); td.appendChild(svg); tr.appendChild(td);
      t.appendChild(tr);
    });
    box.appendChild(t);
    if (v.effects.some(function (e) { return e.definitional; })) {
      box.appendChild(el("p", { "class": "note def" }, "† the arm moves this metric by definition (the model declares it): the difference measures the lever's size, not a response of the market."));
    }
    renderNarrowing(v);
  }

  function renderNarrowing(v) {
    var box = $("narrowing");
    var tables = [], series = [{}], bands = [];
    v.effects.forEach(function (e, i) {
      if (!e.path_n.length) return;
      tables.push([e.path_n, e.path_diff, e.path_lo, e.path_hi]);
      var base = 1 + 3 * (tables.length - 1);
      series.push({ label: e.arm, stroke: colour(i + 1), width: 2, points: { show: false } },
        { label: e.arm + " low", stroke: colour(i + 1, 0.3), width: 0.5, points: { show: false } },
        { label: e.arm + " high", stroke: colour(i + 1, 0.3), width: 0.5, points: { show: false } });
      bands.push({ series: [base + 2, base + 1], fill: colour(i + 1, 0.15) });
    });
    if (!tables.length) {
      if (narrowPlot) { narrowPlot.destroy(); narrowPlot = null; narrowKey = ""; }
      box.textContent = "No pairs yet: an arm's replications pair with the baseline's as they finish.";
      return;
    }
    var data = uPlot.join(tables);
    var key = [v.group, v.point, v.metric.name, v.window, series.map(function (x) { return x.label; }).join()].join("|");
    if (narrowPlot && narrowKey === key) {
      narrowPlot.setData(data);
      return;
    }
    if (narrowPlot) narrowPlot.destroy();
    box.textContent = "";
    var o = size("narrowing", 260);
    o.series = series;
    o.bands = bands;
    // The y range leaves out the intervals of the first few pairs (t with
    // one or two degrees of freedom is wide): zoom out by double-click.
    o.scales = { x: { time: false }, y: { range: function (u, lo, hi) {
      var d = u.data, a = Infinity, b = -Infinity, from = d[0][d[0].length - 1] >= 10 ? 5 : 0;
      for (var s = 1; s < d.length; s++) for (var i = 0; i < d[0].length; i++) {
        var y = d[s][i];
        if (d[0][i] >= from && y !== null && y !== undefined) { a = Math.min(a, y); b = Math.max(b, y); }
      }
      if (!isFinite(a)) { a = lo; b = hi; }
      a = Math.min(a, 0); b = Math.max(b, 0);
      var pad = (b - a) * 0.05 || 1;
      return [a - pad, b + pad];
    } } };
    o.axes = [{ label: "pairs of replications" }, { label: "difference", size: 70, values: function (u, vals) { return vals.map(fmt); } }];
    o.hooks = { draw: [function () { box.dataset.drawn = String((+box.dataset.drawn || 0) + 1); }] };
    narrowPlot = new uPlot(o, data, box);
    hideBandLegend(narrowPlot, function (i) { return (i - 1) % 3 === 0; });
    narrowKey = key;
  }

  ["group", "point", "metric", "window"].forEach(function (id) {
    $(id).addEventListener("change", function () {
      state[id] = id === "point" ? +this.value : this.value;
      connect();
    });
  });
  $("wide").addEventListener("change", function () {
    state.wide = this.checked;
    if (last) renderFan(last);
  });
  window.addEventListener("resize", function () {
    if (fanPlot) fanPlot.setSize(size("fan", 380));
    if (narrowPlot) narrowPlot.setSize(size("narrowing", 260));
  });
  connect();
})();
