// Live ID-number check on forms: tells the worker at once which digit is wrong, before saving.
(function () {
  function csrfHeaders() {
    var token = document.querySelector('meta[name="_csrf"]');
    var header = document.querySelector('meta[name="_csrf_header"]');
    var headers = { 'Content-Type': 'application/json', 'Accept': 'application/json' };
    if (token && header) { headers[header.content] = token.content; }
    return headers;
  }
  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('input[data-id-check]').forEach(function (input) {
      var hint = document.getElementById(input.getAttribute('aria-describedby'));
      var type = document.getElementById('idType');
      var timer;
      input.addEventListener('input', function () {
        clearTimeout(timer);
        timer = setTimeout(function () {
          if (!hint || (type && type.value !== 'RESIDENT_ID') || input.value.trim().length < 15) {
            if (hint) { hint.textContent = ''; hint.className = 'hint'; }
            input.classList.remove('invalid');
            return;
          }
          fetch('/api/v1/id-numbers/check', { method: 'POST', headers: csrfHeaders(), credentials: 'same-origin',
              body: JSON.stringify({ number: input.value }) })
            .then(function (r) { return r.json(); })
            .then(function (result) {
              hint.textContent = result.valid ? '✓ ' + result.birthDate : '✗ ' + result.reason;
              hint.className = 'hint ' + (result.valid ? 'ok' : 'bad');
              input.classList.toggle('invalid', !result.valid);
            })
            .catch(function () { hint.textContent = ''; });
        }, 300);
      });
    });
  });
})();

// Actions that tell many people at once (unsealing texts every resident) ask once more before going.
document.addEventListener('submit', function (event) {
  var question = event.target.getAttribute && event.target.getAttribute('data-confirm');
  if (question && !window.confirm(question)) { event.preventDefault(); }
});

// The phone header's menu: opens and closes the navigation below the one-row header.
document.addEventListener('DOMContentLoaded', function () {
  var toggle = document.querySelector('.menu-toggle');
  if (!toggle) { return; }
  toggle.addEventListener('click', function () {
    var open = toggle.closest('.topbar').classList.toggle('open');
    toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
  });
});

// The file picker (fragments :: filePicker): its status names the chosen file in the page's words. Without
// script the picker still works; the status then keeps saying no file is chosen.
document.addEventListener('change', function (event) {
  var input = event.target;
  if (!input.matches || !input.matches('.file-picker input[type=file]')) { return; }
  var status = document.getElementById(input.getAttribute('aria-describedby'));
  if (!status) { return; }
  var files = input.files || [];
  status.textContent = files.length === 0 ? status.getAttribute('data-none')
    : files.length === 1 ? files[0].name
    : status.getAttribute('data-many').replace('{0}', String(files.length));
  status.classList.toggle('chosen', files.length > 0);
});

// A wide table scrolls sideways inside its .table-scroll. While columns are out of view the wrapper is marked
// .more-right / .more-left (app.css fades that edge) and a line above it says to swipe (words from the page's
// <meta name="scroll-hint">): on a phone nothing else tells that the table goes on past the screen's edge.
document.addEventListener('DOMContentLoaded', function () {
  var words = document.querySelector('meta[name="scroll-hint"]');
  document.querySelectorAll('.table-scroll').forEach(function (box) {
    var hint = document.createElement('p');
    hint.className = 'scroll-hint';
    hint.setAttribute('aria-hidden', 'true');
    hint.textContent = words ? words.content : '';
    box.parentNode.insertBefore(hint, box);
    function mark() {
      var hidden = box.scrollWidth - box.clientWidth;
      box.classList.toggle('more-left', hidden > 1 && box.scrollLeft > 1);
      box.classList.toggle('more-right', hidden > 1 && box.scrollLeft < hidden - 1);
      hint.hidden = hidden <= 1;
    }
    box.addEventListener('scroll', mark, { passive: true });
    window.addEventListener('resize', mark);
    if (window.ResizeObserver) {
      // The box keeps its width when the table inside changes (the dashboard refreshes its rows): watch both.
      var watch = new ResizeObserver(mark);
      watch.observe(box);
      if (box.firstElementChild) { watch.observe(box.firstElementChild); }
    }
    mark();
  });
});
