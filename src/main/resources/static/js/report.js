// The returnee form: after a city is chosen, offer its districts (the form also works without this).
(function () {
  document.addEventListener('DOMContentLoaded', function () {
    var city = document.getElementById('originCity');
    var district = document.getElementById('originDistrict');
    if (!city || !district) { return; }
    var first = district.options[0];
    city.addEventListener('change', function () {
      district.innerHTML = '';
      district.appendChild(first);
      if (!/^\d{4}$/.test(city.value)) { return; }
      fetch('/report/districts?city=' + encodeURIComponent(city.value), { headers: { 'Accept': 'application/json' } })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (list) {
          list.forEach(function (d) {
            var option = document.createElement('option');
            option.value = d.code;
            option.textContent = d.name;
            district.appendChild(option);
          });
        })
        .catch(function () { /* the city alone is enough */ });
    });
  });
})();
