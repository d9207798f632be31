// The dashboard updates itself every 30 s: it fetches the same figures as JSON and writes them into the
// page in place (no reload, no flicker); the children table sorts by any column and keeps its order.
(function () {
  'use strict';
  var root = document.getElementById('dashboard');
  if (!root) { return; }
  var table = document.getElementById('dash-children');
  var sortKey = null;
  var sortDesc = true;
  var children = null;
  var chart = null;

  function get(obj, path) {
    return path.split('.').reduce(function (o, k) { return o == null ? undefined : o[k]; }, obj);
  }

  function cell(text, cls) {
    var td = document.createElement('td');
    if (cls) { td.className = cls; }
    td.textContent = text;
    return td;
  }

  var columns = ['gate.in', 'gate.out', 'gate.denied', 'gate.turnBacks', 'gate.feverAlerts', 'testing.sampled',
    'testing.positive', 'containment.sealedAreas', 'containment.quarantined', 'containment.overdueCheckIns',
    'more.work.returneesPending', 'more.work.doorsVisited', 'more.work.followUpsOpen', 'more.work.releasesDue'];
  // Columns shown as "done/all", with the key of their "all".
  var pairs = { 'testing.sampled': 'testing.expected', 'more.work.doorsVisited': 'more.work.doors' };

  function renderChildren() {
    if (!table || !children) { return; }
    var rows = children.slice();
    if (sortKey) {
      rows.sort(function (a, b) {
        var x = sortKey === 'name' ? a.name : get(a, sortKey);
        var y = sortKey === 'name' ? b.name : get(b, sortKey);
        var c = typeof x === 'string' ? x.localeCompare(y, 'zh') : x - y;
        return sortDesc ? -c : c;
      });
    }
    var body = document.createElement('tbody');
    var totals = {};
    rows.forEach(function (c) {
      var tr = document.createElement('tr');
      var name = document.createElement('td');
      if (c.code) {
        var a = document.createElement('a');
        a.href = '?code=' + encodeURIComponent(c.code) + '&date=' + encodeURIComponent(root.dataset.date || '');
        a.textContent = c.name;
        name.appendChild(a);
      } else {
        name.textContent = c.name;
      }
      tr.appendChild(name);
      columns.forEach(function (k) {
        var v = get(c, k) || 0;
        totals[k] = (totals[k] || 0) + v;
        if (pairs[k]) {
          var all = get(c, pairs[k]) || 0;
          tr.appendChild(cell(v + '/' + all, 'num'));
          totals[pairs[k]] = (totals[pairs[k]] || 0) + all;
        } else {
          tr.appendChild(cell(String(v), 'num'));
        }
      });
      body.appendChild(tr);
    });
    table.replaceChild(body, table.tBodies[0]);
    var foot = table.tFoot.rows[0];
    while (foot.cells.length > 1) { foot.deleteCell(1); }
    columns.forEach(function (k) {
      var td = foot.insertCell(-1);
      td.className = 'num';
      td.textContent = pairs[k] ? (totals[k] || 0) + '/' + (totals[pairs[k]] || 0) : String(totals[k] || 0);
    });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      th.setAttribute('aria-sort', th.dataset.sort === sortKey ? (sortDesc ? 'descending' : 'ascending') : 'none');
    });
  }

  function apply(d) {
    root.dataset.date = d.date;
    document.querySelectorAll('[data-fig]').forEach(function (el) {
      var v = get(d, el.dataset.fig);
      if (v !== undefined && el.textContent !== String(v)) { el.textContent = String(v); }
    });
    var bar = document.getElementById('dash-progress-bar');
    if (bar) {
      bar.style.width = (d.testing.expected === 0 ? 0 : d.testing.sampled * 100 / d.testing.expected) + '%';
    }
    children = d.children;
    renderChildren();
    var updated = document.getElementById('dash-updated');
    if (updated) { updated.textContent = new Date().toLocaleTimeString('zh-CN', { hour12: false }); }
  }

  function trends(list) {
    var box = document.getElementById('trend-chart');
    if (!box || !window.echarts) { return; }
    if (!chart) {
      chart = echarts.init(box, null, { renderer: 'canvas' });
      window.addEventListener('resize', function () { chart.resize(); });
    }
    var m = root.dataset;
    var series = [['msgIn', 'in'], ['msgOut', 'out'], ['msgDenied', 'denied'], ['msgTurnbacks', 'turnBacks']]
      .map(function (s) {
        return { name: m[s[0]], type: 'line', data: list.map(function (t) { return t.gate[s[1]]; }) };
      });
    series.push({ name: m.msgQuarantined, type: 'line', data: list.map(function (t) { return t.quarantined; }) });
    chart.setOption({
      animation: false,
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 48, bottom: 28 },
      xAxis: { type: 'category', data: list.map(function (t) { return t.date.substring(5); }) },
      yAxis: { type: 'value', minInterval: 1 },
      series: series
    });
  }

  function load(url) {
    return fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); });
  }

  function refresh() {
    load(root.dataset.api).then(apply).catch(function () { /* keep the last figures; try again later */ });
    load(root.dataset.trends).then(trends).catch(function () {});
  }

  if (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      th.tabIndex = 0;
      var sort = function () {
        sortDesc = sortKey === th.dataset.sort ? !sortDesc : th.dataset.sort !== 'name';
        sortKey = th.dataset.sort;
        renderChildren();
      };
      th.addEventListener('click', sort);
      th.addEventListener('keydown', function (e) { if (e.key === 'Enter') { sort(); } });
    });
  }
  window.addEventListener('load', refresh);
  setInterval(refresh, 30000);
})();
