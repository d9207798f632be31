// The sampler's phone: scan a tube, scan people into it (their pass QR or a typed ID number), take a
// mistaken person out, close the tube. A handheld scanner types the code and presses Enter, so each
// field acts on Enter. The server keeps every rule (pool size, one open tube per person); this page
// only shows its answers.
//
// Sites lose the network exactly when thousands queue, so, like the gate's scan page, every action
// gets an idempotency key when it is made and waits on the phone (localStorage) when it cannot be
// sent; the queue is sent in order when the network returns. The server records each key once, so
// a queue sent twice, or cut mid-way and sent again, never doubles a swab.
(function () {
  'use strict';
  var page = document.getElementById('sampling');
  if (!page) { return; }
  var round = page.getAttribute('data-round');
  var capacity = Number(page.getAttribute('data-capacity'));
  var QUEUE = 'fangxian.sampling.queue.' + round;
  var msg = function (name) { return page.getAttribute('data-msg-' + name.toLowerCase()) || name; };
  var tubeInput = document.getElementById('tube');
  var personInput = document.getElementById('person');
  var current = null;
  var view = null;
  // The point this phone samples at is kept across tubes and reloads: it feeds the site's pace.
  var pointSelect = document.getElementById('point');
  if (pointSelect) {
    try { pointSelect.value = localStorage.getItem('fx.samplingPoint') || ''; } catch (e) { /* private mode */ }
    pointSelect.addEventListener('change', function () {
      try { localStorage.setItem('fx.samplingPoint', pointSelect.value); } catch (e) { /* private mode */ }
    });
  }

  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return ('0' + x.toString(16)).slice(-2); }).join('');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }
  function headers(key) {
    var h = { 'Content-Type': 'application/json', 'Accept': 'application/json' };
    var t = document.querySelector('meta[name="_csrf"]'), n = document.querySelector('meta[name="_csrf_header"]');
    if (t && n) { h[n.content] = t.content; }
    if (key) { h['Idempotency-Key'] = key; }
    return h;
  }
  function say(text, kind) {
    var box = document.getElementById('message');
    box.hidden = !text;
    box.className = 'alert ' + (kind || 'info');
    box.textContent = text || '';
  }
  function queue() { try { return JSON.parse(localStorage.getItem(QUEUE) || '[]'); } catch (e) { return []; } }
  function save(q) { localStorage.setItem(QUEUE, JSON.stringify(q)); showPending(); }
  function showPending(extra) {
    var box = document.getElementById('pending'), n = queue().length;
    box.setAttribute('data-pending', n);
    if (n === 0 && !extra) { box.hidden = true; return; }
    box.hidden = false;
    box.textContent = extra || msg('pending').replace('{0}', n);
  }
  function tubePath(tube) { return '/api/v1/testing/rounds/' + round + '/tubes/' + encodeURIComponent(tube); }
  function request(method, path, body, key) {
    return fetch(path, {
      method: method, headers: headers(key), credentials: 'same-origin', body: body ? JSON.stringify(body) : undefined
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (json) { return { ok: r.ok, status: r.status, json: json }; });
    });
  }
  // What the sampler sees of a swab still on the phone: never a whole ID number.
  function label(body) {
    if (body.qr) { return msg('qr'); }
    var id = String(body.idNumber || '');
    return msg('idNumber').replace('{0}', id.slice(-4));
  }
  function waiting(tube) { return queue().filter(function (item) { return item.tube === tube; }); }

  function render() {
    var card = document.getElementById('tube-card');
    card.hidden = false;
    document.getElementById('tube-barcode').textContent = current;
    var queued = waiting(current);
    var adds = queued.filter(function (i) { return i.kind === 'add'; });
    var closing = queued.some(function (i) { return i.kind === 'close'; });
    var open = (!view || view.status === 'OPEN') && !closing;
    var count = (view ? view.count : 0) + adds.length;
    var cap = view ? view.capacity : capacity;
    var counter = document.getElementById('tube-count');
    counter.textContent = msg('count').replace('{0}', count).replace('{1}', cap);
    counter.classList.toggle('full', count >= cap);
    var list = document.getElementById('people');
    list.innerHTML = '';
    (view ? view.people : []).forEach(function (p) {
      var li = person(p.name, p.homeSampling, open ? function () { remove(p); } : null, p.residentId || ('s' + p.subjectId), false);
      if (p.subjectId) {
        var tag = document.createElement('span');
        tag.className = 'tag';
        tag.textContent = msg('subject');
        li.insertBefore(tag, li.children[1] || null);
      }
      list.appendChild(li);
    });
    adds.forEach(function (item) {
      list.appendChild(person(label(item.body), false, function () {
        save(queue().filter(function (x) { return x.key !== item.key; }));
        render();
      }, '', true));
    });
    // People of another jurisdiction in the same tube: their number only, never who they are.
    var others = document.getElementById('tube-others');
    others.hidden = !view || !view.othersCount;
    others.textContent = view && view.othersCount ? msg('others').replace('{0}', view.othersCount) : '';
    document.getElementById('close-tube').disabled = !open || count === 0 || (view && view.othersCount > 0);
  }
  function person(name, home, onRemove, residentId, pending) {
    var li = document.createElement('li');
    li.className = 'person' + (pending ? ' pending' : '');
    if (residentId) { li.setAttribute('data-resident', residentId); }
    var strong = document.createElement('strong');
    strong.textContent = name;
    li.appendChild(strong);
    if (home) {
      var tag = document.createElement('span');
      tag.className = 'tag BEDRIDDEN';
      tag.textContent = msg('home');
      li.appendChild(tag);
    }
    if (pending) {
      var wait = document.createElement('span');
      wait.className = 'tag status';
      wait.textContent = msg('queued');
      li.appendChild(wait);
    }
    if (onRemove) {
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'warn remove';
      button.textContent = msg('remove');
      button.addEventListener('click', onRemove);
      li.appendChild(button);
    }
    return li;
  }

  // Sends one action now, or keeps it on the phone when the network (or the server) is not there.
  // Actions after one that waits wait too: a tube's swabs must reach the server before its closing.
  function act(item, onAnswer) {
    item.key = item.key || uuid();
    var offline = function () {
      var q = queue(); q.push(item); save(q);
      say(msg('offline'), 'warn');
      render();
    };
    if (navigator.onLine === false || queue().length > 0) { offline(); flush(); return; }
    request(item.method, item.path, item.body, item.key).then(function (r) {
      if (r.status >= 500) { offline(); return; }
      onAnswer(r);
    }).catch(offline);
  }
  function answer(r) {
    if (r.ok) { say(''); view = r.json; render(); return true; }
    say(r.json.detail || msg('error'), 'error');
    return false;
  }

  var flushing = false;
  function flush() {
    if (flushing) { return Promise.resolve(); }
    var q = queue();
    if (q.length === 0) { return Promise.resolve(); }
    flushing = true;
    var item = q[0];
    return request(item.method, item.path, item.body, item.key).then(function (r) {
      if (r.status === 401 || r.status === 403) { showPending(msg('relogin')); flushing = false; return; }
      if (r.status >= 500) { flushing = false; return; }
      // Any other answer is final for this action: recorded, or refused for good (and said so).
      save(queue().filter(function (x) { return x.key !== item.key; }));
      if (!r.ok) {
        say(msg('rejected').replace('{0}', item.kind === 'add' ? label(item.body) : item.tube)
          .replace('{1}', r.json.detail || msg('error')), 'error');
      }
      else if (item.tube === current) { view = r.json; }
      if (current) { render(); }
      flushing = false;
      if (queue().length === 0) { showPending(msg('synced')); setTimeout(function () { showPending(); }, 3000); }
      return flush();
    }).catch(function () { flushing = false; });
  }

  function chooseTube() {
    var code = tubeInput.value.trim().toUpperCase().replace(/\s+/g, '');
    if (!code) { return; }
    current = code;
    view = null;
    render();
    personInput.focus();
    request('GET', tubePath(code)).then(function (r) {
      if (current !== code) { return; }
      if (r.status === 404) { say(''); } else if (r.status < 500) { answer(r); }
      render();
    }).catch(function () { render(); });
  }
  function remove(p) {
    var path = p.subjectId ? '/subjects/' + p.subjectId : '/samples/' + p.residentId;
    act({ kind: 'remove', tube: current, method: 'DELETE', path: tubePath(current) + path }, answer);
  }
  document.getElementById('tube-form').addEventListener('submit', function (e) { e.preventDefault(); chooseTube(); });
  tubeInput.addEventListener('change', chooseTube);
  document.getElementById('person-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var code = personInput.value.trim();
    if (!current) { say(msg('tubeFirst'), 'warn'); tubeInput.focus(); return; }
    if (!code) { personInput.focus(); return; }
    // Cleared at once: a handheld scanner may type the next code before this answer arrives.
    personInput.value = '';
    personInput.focus();
    var count = (view ? view.count : 0) + waiting(current).filter(function (i) { return i.kind === 'add'; }).length;
    if (count >= (view ? view.capacity : capacity)) { say(msg('full').replace('{0}', view ? view.capacity : capacity), 'error'); return; }
    var body = /^FXP1\./i.test(code) ? { qr: code } : { idNumber: code };
    if (pointSelect && pointSelect.value) { body.pointId = Number(pointSelect.value); }
    body.takenAt = new Date().toISOString();
    body.idempotencyKey = uuid();
    act({ kind: 'add', tube: current, method: 'POST', path: tubePath(current) + '/samples', body: body, key: body.idempotencyKey }, answer);
  });
  // Someone not on the round's list, registered on the spot (补做核酸, a mall worker): the same queue.
  document.getElementById('subject-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var f = e.target;
    if (!current) { say(msg('tubeFirst'), 'warn'); tubeInput.focus(); return; }
    var field = function (id) { var el = document.getElementById(id); return el ? el.value.trim() : ''; };
    var body = { idNumber: field('subject-id'), name: field('subject-name'), phone: field('subject-phone') };
    if (field('subject-checkpoint')) { body.checkpointId = Number(field('subject-checkpoint')); }
    if (pointSelect && pointSelect.value) { body.pointId = Number(pointSelect.value); }
    body.takenAt = new Date().toISOString();
    body.idempotencyKey = uuid();
    act({ kind: 'add', tube: current, method: 'POST', path: tubePath(current) + '/subjects', body: body, key: body.idempotencyKey }, function (r) {
      if (answer(r)) { f.reset(); document.getElementById('subject').open = false; personInput.focus(); }
    });
  });
  document.getElementById('close-tube').addEventListener('click', function () {
    var tube = current;
    var done = function (text) {
      say(text, 'ok');
      current = null;
      view = null;
      tubeInput.value = '';
      document.getElementById('tube-card').hidden = true;
      tubeInput.focus();
    };
    act({ kind: 'close', tube: tube, method: 'POST', path: tubePath(tube) + '/close' }, function (r) {
      if (!r.ok) { answer(r); return; }
      done(msg('closed').replace('{0}', tube));
    });
    if (waiting(tube).some(function (i) { return i.kind === 'close'; })) { done(msg('closedOffline').replace('{0}', tube)); }
  });

  // Phone cameras: the browser's own barcode reader where there is one (tube barcodes and pass QR
  // codes); a handheld scanner types into the field instead.
  if ('BarcodeDetector' in window && navigator.mediaDevices) {
    var video = document.getElementById('camera-view');
    Array.prototype.forEach.call(document.querySelectorAll('button.camera'), function (button) {
      button.hidden = false;
      button.addEventListener('click', function () {
        var target = document.getElementById(button.getAttribute('data-target'));
        window.BarcodeDetector.getSupportedFormats().then(function (formats) {
          var detector = new window.BarcodeDetector({ formats: formats });
          return navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } }).then(function (stream) {
            video.srcObject = stream; video.hidden = false; video.play();
            var tick = function () {
              detector.detect(video).then(function (codes) {
                if (!codes.length) { requestAnimationFrame(tick); return; }
                stream.getTracks().forEach(function (t) { t.stop(); });
                video.hidden = true;
                target.value = codes[0].rawValue;
                target.form.requestSubmit ? target.form.requestSubmit() : target.form.dispatchEvent(new Event('submit'));
              }).catch(function () { requestAnimationFrame(tick); });
            };
            tick();
          });
        }).catch(function () { button.hidden = true; });
      });
    });
  }

  window.addEventListener('online', flush);
  setInterval(flush, 15000);
  showPending();
  flush();
})();
