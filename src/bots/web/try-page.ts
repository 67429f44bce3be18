import { selfContainedPageCsp } from '@/common/csp';

/**
 * The "try it" page. It talks to /try/sessions/* and shows exactly the messages a patient would get
 * on Telegram, rendered from the web channel. Plain HTML + a little JS, no build step, no CDN.
 */
export const TRY_PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>DermLink - try it</title>
<link rel="icon" href="data:,">
<style>
  body { font-family: system-ui, sans-serif; margin: 0; background: #eef2f5; color: #1b2733; }
  header { background: #0b6e74; color: #fff; padding: 12px 16px; }
  header h1 { margin: 0; font-size: 1.2rem; }
  header p { margin: 4px 0 0; font-size: .85rem; opacity: .9; }
  #chat { max-width: 640px; margin: 0 auto; padding: 12px; display: flex; flex-direction: column; gap: 8px; min-height: 60vh; }
  .msg { background: #fff; border-radius: 10px; padding: 10px 12px; white-space: pre-wrap; box-shadow: 0 1px 2px rgba(0,0,0,.08); max-width: 90%; }
  .me { align-self: flex-end; background: #d8f3dc; }
  .buttons { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 8px; }
  .buttons button { border: 1px solid #0b6e74; background: #fff; color: #0b6e74; border-radius: 6px; padding: 6px 10px; cursor: pointer; }
  form { max-width: 640px; margin: 0 auto; padding: 12px; display: flex; gap: 8px; flex-wrap: wrap; }
  input[type=text] { flex: 1; min-width: 180px; padding: 8px; }
  .note { max-width: 640px; margin: 0 auto 24px; padding: 0 12px; font-size: .8rem; color: #52606d; }
</style>
</head>
<body>
<header><h1>DermLink</h1><p>Try the patient journey here, exactly as it runs on Telegram. Not a diagnosis.</p></header>
<div id="chat" aria-live="polite"></div>
<form id="send">
  <input id="file" type="file" accept="image/*" aria-label="Photo of the skin spot">
  <input id="text" type="text" placeholder="Message or /help" aria-label="Message">
  <button type="submit">Send</button>
</form>
<p class="note">Photos sent here are stored like a patient's, only after you agree, and can be erased with /delete.</p>
<script>
(function () {
  var session = null, after = 0, chat = document.getElementById('chat');
  function add(text, mine, buttons) {
    var div = document.createElement('div');
    div.className = 'msg' + (mine ? ' me' : '');
    div.textContent = text;
    if (buttons && buttons.length) {
      var box = document.createElement('div'); box.className = 'buttons';
      buttons.forEach(function (row) { row.forEach(function (b) {
        var btn = document.createElement('button'); btn.type = 'button'; btn.textContent = b.label;
        btn.onclick = function () { add(b.label, true); post('actions', { data: b.data }); };
        box.appendChild(btn);
      }); });
      div.appendChild(box);
    }
    chat.appendChild(div); window.scrollTo(0, document.body.scrollHeight);
  }
  function post(path, body) {
    return fetch('/try/sessions/' + session + '/' + path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
      .then(poll);
  }
  function poll() {
    if (!session) return;
    return fetch('/try/sessions/' + session + '/messages?after=' + after).then(function (r) { return r.json(); }).then(function (j) {
      (j.messages || []).forEach(function (m) { after = m.seq; add(m.text, false, m.buttons); });
    });
  }
  fetch('/try/sessions', { method: 'POST' }).then(function (r) { return r.json(); }).then(function (j) { session = j.session; poll(); setInterval(poll, 1500); });
  document.getElementById('send').onsubmit = function (e) {
    e.preventDefault();
    var file = document.getElementById('file'), text = document.getElementById('text');
    if (file.files.length) {
      var fd = new FormData(); fd.append('image', file.files[0]);
      add('[photo] ' + file.files[0].name, true);
      fetch('/try/sessions/' + session + '/photos', { method: 'POST', body: fd }).then(function (r) {
        if (!r.ok) return r.json().then(function (j) { add(j.message || 'Upload failed', false); });
      }).then(poll);
      file.value = '';
    }
    if (text.value.trim()) { add(text.value, true); post('texts', { text: text.value }); text.value = ''; }
  };
})();
</script>
</body>
</html>`;

/** Only the page's own script and style run; it talks only to this origin. */
export const TRY_PAGE_CSP = selfContainedPageCsp(TRY_PAGE_HTML);
