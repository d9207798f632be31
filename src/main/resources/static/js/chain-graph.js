// The chain view (传播链): cases and their contacts as a force-directed graph, coloured by category.
// The graph comes from the page (data-graph); nothing is fetched. A case's node opens its page.
(function () {
  'use strict';
  var box = document.getElementById('chain-graph');
  if (!box || !window.echarts) { return; }
  var graph = JSON.parse(box.getAttribute('data-graph'));
  var colours = ['#b71c1c', '#ef6c00', '#1565c0'];
  var names = [box.getAttribute('data-msg-case'), box.getAttribute('data-msg-close'), box.getAttribute('data-msg-secondary')];
  var chart = echarts.init(box, null, { renderer: 'canvas' });
  chart.setOption({
    animation: false,
    textStyle: { fontSize: 14 },
    tooltip: { formatter: function (p) { return p.dataType === 'node' ? p.data.name + ' · ' + names[p.data.category] : ''; } },
    legend: { data: names, top: 0 },
    series: [{
      type: 'graph',
      layout: 'force',
      roam: true,
      draggable: true,
      force: { repulsion: 220, edgeLength: [60, 120], gravity: 0.08 },
      categories: names.map(function (n, i) { return { name: n, itemStyle: { color: colours[i] } }; }),
      label: { show: true, position: 'right', fontSize: 14 },
      edgeSymbol: ['none', 'arrow'],
      edgeSymbolSize: 8,
      lineStyle: { color: '#777', width: 2 },
      data: graph.nodes.map(function (n) {
        return { id: n.id, name: n.name, category: n.category, caseId: n.caseId,
          symbolSize: n.category === 0 ? 34 : n.category === 1 ? 24 : 18 };
      }),
      links: graph.links.map(function (l) { return { source: l.source, target: l.target }; })
    }]
  });
  chart.on('click', function (p) {
    if (p.dataType === 'node' && p.data.caseId) { window.location.href = box.getAttribute('data-case-url') + p.data.caseId; }
  });
  window.addEventListener('resize', function () { chart.resize(); });
})();
