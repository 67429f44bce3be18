import { selfContainedPageCsp } from '@/common/csp';

/**
 * The coordinators' dashboard: sign-in, KPI tiles, SVG charts drawn by a small script (no CDN, no
 * build step), the AI-vs-doctor confusion matrix and the CSV export. Works on a phone screen.
 */
export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>DermLink dashboard</title>
<link rel="icon" href="data:,">
<style>
  * { box-sizing: border-box; }
  body { font-family: system-ui, sans-serif; margin: 0; background: #f3f6f8; color: #1b2733; }
  header { background: #0b6e74; color: #fff; padding: 12px 16px; display: flex; justify-content: space-between; align-items: center; gap: 8px; flex-wrap: wrap; }
  header h1 { margin: 0; font-size: 1.15rem; }
  header a, header button { color: #fff; background: transparent; border: 1px solid #fff; border-radius: 6px; padding: 4px 10px; text-decoration: none; font-size: .85rem; cursor: pointer; }
  main { max-width: 1100px; margin: 0 auto; padding: 12px; display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 12px; }
  section { background: #fff; border-radius: 10px; padding: 12px; box-shadow: 0 1px 2px rgba(0,0,0,.08); min-width: 0; }
  section h2 { font-size: .95rem; margin: 0 0 8px; }
  .tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(120px, 1fr)); gap: 8px; grid-column: 1 / -1; }
  .tile { background: #fff; border-radius: 10px; padding: 10px; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
  .tile b { display: block; font-size: 1.5rem; }
  .tile span { font-size: .8rem; color: #52606d; }
  svg { width: 100%; height: auto; display: block; }
  table { border-collapse: collapse; font-size: .75rem; width: 100%; }
  td, th { border: 1px solid #e1e7ec; padding: 3px; text-align: center; }
  .wide { grid-column: 1 / -1; }
  .scroll { overflow-x: auto; }
  #signin { max-width: 360px; margin: 40px auto; background: #fff; padding: 16px; border-radius: 10px; display: flex; flex-direction: column; gap: 8px; }
  #signin input { padding: 8px; font-size: 1rem; }
  #error { color: #b00020; min-height: 1.2em; }
  .hidden { display: none !important; }
</style>
</head>
<body>
<header><h1>DermLink dashboard</h1><nav id="nav" class="hidden"><a id="csv" href="/admin/export.csv" download>Export CSV</a> <button id="logout" type="button">Sign out</button></nav></header>
<form id="signin" class="hidden">
  <label for="token">Admin token</label>
  <input id="token" type="password" autocomplete="current-password" required>
  <button type="submit">Sign in</button>
  <small>Doctors: send /dashboard in the doctors' group to get a one-time sign-in link.</small>
  <div id="error" role="alert"></div>
</form>
<main id="dash" class="hidden">
  <div class="tiles" id="tiles"></div>
  <section><h2>Open cases by risk</h2><div id="risk"></div></section>
  <section><h2>Open cases by waiting time</h2><div id="age"></div></section>
  <section class="wide"><h2>Cases per day and channel (30 days)</h2><div id="perday"></div></section>
  <section><h2>Photo rejections by reason</h2><div id="rejections"></div></section>
  <section><h2>Outreach villages</h2><div id="villages"></div></section>
  <section class="wide"><h2 id="agreement">AI result vs doctor's diagnosis</h2><div class="scroll" id="confusion"></div></section>
</main>
<script>
(function () {
  var NS = 'http://www.w3.org/2000/svg';
  var COLORS = { urgent: '#c62828', soon: '#ef6c00', routine: '#2e7d32', telegram: '#0288d1', whatsapp: '#43a047', web: '#8e24aa' };
  function el(tag, attrs, text) { var e = document.createElementNS(NS, tag); for (var k in attrs) e.setAttribute(k, attrs[k]); if (text !== undefined) e.textContent = text; return e; }
  function bars(target, rows, color) {
    var max = Math.max.apply(null, rows.map(function (r) { return r[1]; }).concat([1]));
    var h = 26 * rows.length + 6, svg = el('svg', { viewBox: '0 0 320 ' + h, role: 'img', 'aria-label': target });
    rows.forEach(function (r, i) {
      var w = Math.round(200 * r[1] / max), y = 4 + i * 26;
      svg.appendChild(el('text', { x: 0, y: y + 15, 'font-size': 11 }, r[0]));
      svg.appendChild(el('rect', { x: 96, y: y, width: Math.max(w, 1), height: 18, fill: COLORS[r[0]] || color || '#0b6e74', 'class': 'bar' }));
      svg.appendChild(el('text', { x: 100 + w, y: y + 14, 'font-size': 11 }, String(r[1])));
    });
    var box = document.getElementById(target); box.textContent = ''; box.appendChild(svg);
  }
  function stacked(target, days) {
    var keys = ['telegram', 'whatsapp', 'web'], max = 1;
    days.forEach(function (d) { max = Math.max(max, d.telegram + d.whatsapp + d.web); });
    var w = 10, svg = el('svg', { viewBox: '0 0 ' + (days.length * w + 30) + ' 130', role: 'img', 'aria-label': 'cases per day' });
    days.forEach(function (d, i) {
      var y = 110;
      keys.forEach(function (k) { var h = Math.round(100 * d[k] / max); if (h) { y -= h; svg.appendChild(el('rect', { x: 30 + i * w, y: y, width: w - 2, height: h, fill: COLORS[k], 'class': 'bar' })); } });
    });
    svg.appendChild(el('text', { x: 0, y: 12, 'font-size': 9 }, String(max)));
    svg.appendChild(el('text', { x: 30, y: 125, 'font-size': 9 }, days[0].day + ' … ' + days[days.length - 1].day));
    keys.forEach(function (k, i) { svg.appendChild(el('text', { x: 150 + i * 55, y: 125, 'font-size': 9, fill: COLORS[k] }, '■ ' + k)); });
    var box = document.getElementById(target); box.textContent = ''; box.appendChild(svg);
  }
  function tiles(s) {
    var t = [['Cases', s.totals.cases], ['Open', s.totals.open], ['Answered', s.totals.answered], ['Photos rejected', s.totals.rejected],
      ['First answer, median (min)', s.firstAnswerMinutes.median === null ? '–' : s.firstAnswerMinutes.median],
      ['First answer, p90 (min)', s.firstAnswerMinutes.p90 === null ? '–' : s.firstAnswerMinutes.p90]];
    var box = document.getElementById('tiles'); box.textContent = '';
    t.forEach(function (x) { var d = document.createElement('div'); d.className = 'tile'; var b = document.createElement('b'); b.textContent = x[1]; var sp = document.createElement('span'); sp.textContent = x[0]; d.appendChild(b); d.appendChild(sp); box.appendChild(d); });
  }
  function confusion(s) {
    var a = s.aiVsDoctor;
    document.getElementById('agreement').textContent = "AI result vs doctor's diagnosis: " + (a.agreement === null ? 'no diagnoses yet' : Math.round(a.agreement * 100) + '% agreement on ' + a.reviewed + ' case(s)');
    var table = document.createElement('table'), head = document.createElement('tr'), max = 1;
    a.confusion.forEach(function (row) { row.forEach(function (v) { max = Math.max(max, v); }); });
    var corner = document.createElement('th'); corner.textContent = 'doctor \\u2193 / AI \\u2192'; head.appendChild(corner);
    a.labels.forEach(function (l) { var th = document.createElement('th'); th.textContent = l; head.appendChild(th); });
    table.appendChild(head);
    a.confusion.forEach(function (row, i) {
      var tr = document.createElement('tr'), th = document.createElement('th'); th.textContent = a.labels[i]; tr.appendChild(th);
      row.forEach(function (v) { var td = document.createElement('td'); td.textContent = v; td.style.background = 'rgba(11,110,116,' + (v / max * 0.7).toFixed(2) + ')'; tr.appendChild(td); });
      table.appendChild(tr);
    });
    var box = document.getElementById('confusion'); box.textContent = ''; box.appendChild(table);
  }
  function show(signedIn) {
    document.getElementById('signin').classList.toggle('hidden', signedIn);
    document.getElementById('dash').classList.toggle('hidden', !signedIn);
    document.getElementById('nav').classList.toggle('hidden', !signedIn);
  }
  function load() {
    return fetch('/admin/api/stats', { credentials: 'same-origin' }).then(function (r) {
      if (r.status === 401) { show(false); return; }
      return r.json().then(function (s) {
        show(true); tiles(s);
        bars('risk', [['urgent', s.openByRisk.urgent], ['soon', s.openByRisk.soon], ['routine', s.openByRisk.routine]]);
        bars('age', [['< 1 h', s.openByAge.under1h], ['1-24 h', s.openByAge.under24h], ['> 24 h', s.openByAge.over24h]]);
        stacked('perday', s.perDay);
        bars('rejections', Object.keys(s.rejections).map(function (k) { return [k, s.rejections[k]]; }), '#6d4c41');
        bars('villages', s.villages.map(function (v) { return [v.village, v.cases]; }), '#00897b');
        confusion(s);
        document.body.setAttribute('data-loaded', 'true');
      });
    });
  }
  document.getElementById('signin').onsubmit = function (e) {
    e.preventDefault();
    fetch('/admin/session', { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token: document.getElementById('token').value }) })
      .then(function (r) { if (!r.ok) { document.getElementById('error').textContent = r.status === 429 ? 'Too many attempts; wait a minute.' : 'Wrong token.'; return; } document.getElementById('error').textContent = ''; return load(); });
  };
  document.getElementById('logout').onclick = function () { fetch('/admin/logout', { method: 'POST', credentials: 'same-origin' }).then(function () { show(false); }); };
  load();
  setInterval(function () { if (!document.getElementById('dash').classList.contains('hidden')) load(); }, 60000);
})();
</script>
</body>
</html>`;

/** Only the page's own script and style run; it talks only to this origin. */
export const DASHBOARD_CSP = selfContainedPageCsp(DASHBOARD_HTML);
