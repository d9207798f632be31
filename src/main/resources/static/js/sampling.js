// The sampler's phone: scan a tube, scan people into it (their pass QR or a typed ID number), take a
// mistaken person out, close the tube. A handheld scanner types the code and presses Enter, so each
// field acts on Enter. The server keeps every rule (pool size, one open tube per person); this page
// only shows its answers.
(function () {
  'use strict';
  var page = document.getElementById('sampling');
  if (!page) { return; }
  var round = page.getAttribute('data-round');
  var msg = function (name) { return page.getAttribute('data-msg-' + name) || name; };
  var tubeInput = document.getElementById('tube');
  var personInput = document.getElementById('person');
  var current = null;
  // The point this phone samples at is kept across tubes and reloads: it feeds the site's pace.
  var pointSelect = document.getElementById('point');
  if (pointSelect) {
    try { pointSelect.value = localStorage.getItem('fx.samplingPoint') || ''; } catch (e) { /* private mode */ }
    pointSelect.addEventListener('change', function () {
      try { localStorage.setItem('fx.samplingPoint', pointSelect.value); } catch (e) { /* private mode */ }
    });
  }

  function headers() {
    var h = { 'Content-Type': 'application/json', 'Accept': 'application/json' };
    var t = document.querySelector('meta[name="_csrf"]'), n = document.querySelector('meta[name="_csrf_header"]');
    if (t && n) { h[n.content] = t.content; }
    return h;
  }
  function say(text, kind) {
    var box = document.getElementById('message');
    box.hidden = !text;
    box.className = 'alert ' + (kind || 'info');
    box.textContent = text || '';
  }
  function call(method, path, body) {
    return fetch('/api/v1/testing/rounds/' + round + '/tubes/' + encodeURIComponent(current) + path, {
      method: method, headers: headers(), credentials: 'same-origin', body: body ? JSON.stringify(body) : undefined
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (json) { return { ok: r.ok, status: r.status, json: json }; });
    });
  }
  function render(tube) {
    var card = document.getElementById('tube-card');
    card.hidden = false;
    document.getElementById('tube-barcode').textContent = current;
    var count = tube ? tube.count : 0, capacity = tube ? tube.capacity : page.getAttribute('data-capacity');
    document.getElementById('tube-count').textContent = msg('count').replace('{0}', count).replace('{1}', capacity);
    var list = document.getElementById('people');
    list.innerHTML = '';
    (tube ? tube.people : []).forEach(function (p) {
      var li = document.createElement('li');
      li.className = 'row person';
      li.setAttribute('data-resident', p.residentId);
      var name = document.createElement('strong');
      name.textContent = p.name;
      li.appendChild(name);
      if (p.homeSampling) {
        var tag = document.createElement('span');
        tag.className = 'tag BEDRIDDEN';
        tag.textContent = msg('home');
        li.appendChild(tag);
      }
      if (!tube || tube.status === 'OPEN') {
        var remove = document.createElement('button');
        remove.type = 'button';
        remove.className = 'warn counts';
        remove.textContent = msg('remove');
        remove.addEventListener('click', function () {
          call('DELETE', '/samples/' + p.residentId).then(answer);
        });
        li.appendChild(remove);
      }
      list.appendChild(li);
    });
    // People of another jurisdiction in the same tube: their number only, never who they are.
    var others = document.getElementById('tube-others');
    others.hidden = !tube || !tube.othersCount;
    others.textContent = tube && tube.othersCount ? msg('others').replace('{0}', tube.othersCount) : '';
    document.getElementById('close-tube').disabled = !tube || tube.status !== 'OPEN' || count === 0 || tube.othersCount > 0;
  }
  function answer(r) {
    if (r.ok) {
      say('');
      render(r.json);
      return true;
    }
    say(r.json.detail || msg('error'), 'error');
    return false;
  }
  function chooseTube() {
    var code = tubeInput.value.trim().toUpperCase();
    if (!code) { return; }
    current = code;
    call('GET', '').then(function (r) {
      if (r.status === 404) { say(''); render(null); } else { answer(r); }
      personInput.focus();
    });
  }
  document.getElementById('tube-form').addEventListener('submit', function (e) { e.preventDefault(); chooseTube(); });
  tubeInput.addEventListener('change', chooseTube);
  document.getElementById('person-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var code = personInput.value.trim();
    if (!current) { say(tubeInput.getAttribute('placeholder'), 'warn'); tubeInput.focus(); return; }
    if (!code) { personInput.focus(); return; }
    // Cleared at once: a handheld scanner may type the next code before this answer arrives.
    personInput.value = '';
    var body = code.indexOf('FXP1.') === 0 ? { qr: code } : { idNumber: code };
    if (pointSelect && pointSelect.value) { body.pointId = Number(pointSelect.value); }
    call('POST', '/samples', body).then(function (r) {
      answer(r);
      personInput.focus();
    });
  });
  document.getElementById('close-tube').addEventListener('click', function () {
    call('POST', '/close').then(function (r) {
      if (!r.ok) { answer(r); return; }
      say(msg('closed').replace('{0}', current), 'ok');
      current = null;
      tubeInput.value = '';
      document.getElementById('tube-card').hidden = true;
      tubeInput.focus();
    });
  });
})();
