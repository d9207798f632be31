// The guard's scan page. Gates lose signal, so every record gets an idempotency key when it is made
// and is queued on the device if it cannot be sent; the queue is re-sent until the server answers.
// The server records each key once, so re-sending can never double a passage.
(function () {
  'use strict';
  var page = document.getElementById('scan');
  if (!page) { return; }
  var checkpoint = page.getAttribute('data-checkpoint');
  var QUEUE = 'fangxian.gate.queue.' + checkpoint;
  var msg = function (name) { return page.getAttribute('data-msg-' + name) || name; };

  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return ('0' + x.toString(16)).slice(-2); }).join('');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }
  function headers() {
    var h = { 'Content-Type': 'application/json', 'Accept': 'application/json' };
    var t = document.querySelector('meta[name="_csrf"]'), n = document.querySelector('meta[name="_csrf_header"]');
    if (t && n) { h[n.content] = t.content; }
    return h;
  }
  function queue() { try { return JSON.parse(localStorage.getItem(QUEUE) || '[]'); } catch (e) { return []; } }
  function save(q) { localStorage.setItem(QUEUE, JSON.stringify(q)); showPending(); }
  function showPending(extra) {
    var box = document.getElementById('pending'), n = queue().length;
    if (n === 0 && !extra) { box.hidden = true; return; }
    box.hidden = false;
    box.textContent = extra || msg('pending').replace('{0}', n);
    box.setAttribute('data-pending', n);
  }
  // Every answer is shown where the guard is looking: the box next to the button they pressed, scrolled into
  // view, in the colour of what happened (green pass, red denial or turn-back, amber: scan again).
  function show(decision, reason, identity, boxId, title) {
    var box = document.getElementById(boxId || 'result');
    if (boxId !== 'visit-result') { document.getElementById('visit-result').hidden = true; }
    if (boxId === 'visit-result') { document.getElementById('result').hidden = true; }
    box.hidden = false;
    box.className = 'decision ' + decision.toLowerCase();
    box.querySelector('.decision-title').textContent = title || (decision === 'OFFLINE' ? '⚠' : msg(decision.toLowerCase()));
    box.querySelector('.decision-reason').textContent = reason || '';
    var who = box.querySelector('.decision-person');
    who.textContent = '';
    if (identity && typeof identity === 'object') {
      [identity.name, identity.sex ? msg('sex-' + identity.sex.toLowerCase()) : null,
        identity.birthYear ? msg('born').replace('{0}', identity.birthYear) : null, identity.address]
        .filter(function (x) { return x; })
        .forEach(function (x) { var s = document.createElement('span'); s.textContent = x; who.appendChild(s); });
    } else if (identity) { who.textContent = identity; }
    box.setAttribute('data-decision', decision);
    if (box.scrollIntoView) { box.scrollIntoView({ block: 'nearest' }); }
  }
  function send(path, record) {
    return fetch(path, { method: 'POST', headers: headers(), credentials: 'same-origin', body: JSON.stringify(record) });
  }
  function refreshCounters() {
    fetch('/api/v1/checkpoints/' + checkpoint + '/counters', { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (c) {
        if (!c) { return; }
        Object.keys(c).forEach(function (k) {
          var el = document.querySelector('[data-counter="' + k + '"]');
          if (el) { el.textContent = c[k]; }
        });
      }).catch(function () {});
  }

  // A busy server answers 503 with Retry-After: the queue waits at least that long, doubling on each refusal
  // (up to 5 minutes, with jitter so a hundred gates do not come back in step), then sends again.
  var flushing = false, notBefore = 0, backoff = 0;
  function busy(r) {
    var after = parseInt(r.headers.get('Retry-After'), 10);
    backoff = Math.min(300000, Math.max(isNaN(after) ? 1000 : after * 1000, backoff * 2));
    notBefore = Date.now() + backoff + Math.floor(Math.random() * 1000);
    page.setAttribute('data-retry-at', String(notBefore));
  }
  function flush() {
    if (flushing || Date.now() < notBefore) { return Promise.resolve(); }
    var q = queue();
    if (q.length === 0) { return Promise.resolve(); }
    flushing = true;
    var item = q[0];
    return send(item.path, item.record).then(function (r) {
      if (r.status === 401 || r.status === 403) { showPending(msg('relogin')); flushing = false; return; }
      if (r.status === 503) { busy(r); flushing = false; return; }
      backoff = 0;
      if (r.status >= 500) { flushing = false; return; }
      // Any other answer is final for this record (the server recorded it, or refused it for good).
      save(queue().filter(function (x) { return x.record.idempotencyKey !== item.record.idempotencyKey; }));
      flushing = false;
      if (queue().length === 0) { showPending(msg('synced')); refreshCounters(); setTimeout(function () { showPending(); }, 3000); }
      return flush();
    }).catch(function () { flushing = false; });
  }

  function submit(path, record, onAnswer) {
    record.idempotencyKey = uuid();
    record.scannedAt = new Date().toISOString();
    var box = /\/visits$/.test(path) ? 'visit-result' : 'result';
    var offline = function (text) {
      var q = queue(); q.push({ path: path, record: record }); save(q);
      show('OFFLINE', typeof text === 'string' ? text : msg('offline'), '', box);
    };
    if (navigator.onLine === false) { offline(); return; }
    if (Date.now() < notBefore) { offline(msg('busy')); return; }
    send(path, record).then(function (r) {
      if (r.status === 503) { busy(r); offline(msg('busy')); return; }
      if (r.status >= 500) { offline(); return; }
      return r.json().then(function (body) { onAnswer(r, body); refreshCounters(); });
    }).catch(offline);
  }

  document.getElementById('scan-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var form = e.target, code = form.code.value.trim();
    if (!code) { show('ERROR', msg('empty'), ''); form.code.focus(); return; }
    var typed = form.temperature.value.trim().replace(/[\uff10-\uff19\uff0e]/g, function (c) {
      return String.fromCharCode(c.charCodeAt(0) - 0xfee0);
    });
    // A reading no living person gives is measured again before anything is recorded (the server says the same).
    if (typed && !(Number(typed) >= 35 && Number(typed) <= 42)) {
      show('ERROR', msg('temperature'), ''); form.temperature.value = ''; form.temperature.focus(); return;
    }
    var record = {
      direction: form.querySelector('input[name="direction"]:checked').value,
      temperature: typed || null,
      plate: form.plate.value.trim() || null
    };
    if (/^FXP1\./i.test(code)) { record.qr = code; } else { record.idNumber = code; }
    submit('/api/v1/checkpoints/' + checkpoint + '/scans', record, function (r, body) {
      if (r.ok) { show(body.decision, body.message, body.identity || body.person); }
      else { show('ERROR', body.detail || body.code, ''); }
    });
    form.code.value = ''; form.temperature.value = ''; form.plate.value = '';
    form.code.focus();
  });

  document.getElementById('visit-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var f = e.target, record = {};
    ['kind', 'name', 'phone', 'purpose', 'visiting', 'plate', 'reason'].forEach(function (k) { record[k] = f[k].value.trim() || null; });
    var kindText = f.kind.options[f.kind.selectedIndex].text;
    submit('/api/v1/checkpoints/' + checkpoint + '/visits', record, function (r, body) {
      if (r.ok && record.kind === 'TURN_BACK') {
        show('TURNBACK', record.reason, record.name || record.plate || '', 'visit-result', msg('turnedback'));
        f.reset();
      } else if (r.ok) {
        show('SAVED', kindText, record.name || record.plate || '', 'visit-result', msg('saved'));
        f.reset();
      } else { show('ERROR', body.detail || body.code, '', 'visit-result'); }
    });
  });

  // Phone cameras: the browser's own barcode reader where there is one; a handheld scanner types into the field.
  if ('BarcodeDetector' in window && navigator.mediaDevices) {
    var button = document.getElementById('camera'), video = document.getElementById('camera-view');
    button.hidden = false;
    button.addEventListener('click', function () {
      var detector = new window.BarcodeDetector({ formats: ['qr_code'] });
      navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } }).then(function (stream) {
        video.srcObject = stream; video.hidden = false; video.play();
        var tick = function () {
          detector.detect(video).then(function (codes) {
            if (codes.length) {
              stream.getTracks().forEach(function (t) { t.stop(); });
              video.hidden = true;
              document.getElementById('code').value = codes[0].rawValue;
              document.getElementById('temperature').focus();
            } else { requestAnimationFrame(tick); }
          }).catch(function () { requestAnimationFrame(tick); });
        };
        tick();
      }).catch(function () { button.hidden = true; });
    });
  }

  window.addEventListener('online', flush);
  setInterval(flush, 15000);
  setInterval(refreshCounters, 30000);
  showPending();
  flush();
})();
