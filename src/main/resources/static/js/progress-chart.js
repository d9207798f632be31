// The round page's chart: swabs per hour as bars, the running total as a line, the expected number as
// a dashed line to reach. The numbers come from the page (data- attributes); nothing is fetched.
(function () {
  'use strict';
  var box = document.getElementById('progress-chart');
  if (!box || !window.echarts) { return; }
  var list = function (name) { var v = box.getAttribute('data-' + name); return v ? v.split(',') : []; };
  var numbers = function (name) { return list(name).map(Number); };
  var expected = Number(box.getAttribute('data-expected'));
  var chart = echarts.init(box, null, { renderer: 'canvas' });
  chart.setOption({
    animation: false,
    textStyle: { fontSize: 14 },
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 48, right: 16, top: 40, bottom: 32, containLabel: true },
    xAxis: { type: 'category', data: list('labels') },
    yAxis: { type: 'value', minInterval: 1, max: function (v) { return Math.max(v.max, expected); } },
    series: [
      { name: box.getAttribute('data-msg-swabs'), type: 'bar', data: numbers('swabs'), barMaxWidth: 48, itemStyle: { color: '#2e7d32' } },
      { name: box.getAttribute('data-msg-totals'), type: 'line', data: numbers('totals'), itemStyle: { color: '#b71c1c' },
        lineStyle: { width: 3 },
        markLine: { symbol: 'none', lineStyle: { type: 'dashed', color: '#555' },
          label: { position: 'insideEndTop', formatter: box.getAttribute('data-msg-expected') + ' ' + expected },
          data: [{ yAxis: expected }] } }
    ]
  });
  window.addEventListener('resize', function () { chart.resize(); });
})();
