// 督办工作台: progressive enhancement only — every page works without this file.
(function () {
  'use strict';
  // Forms that need a confirmation (销号, 撤销, …) ask before they are sent when htmx is not
  // handling them (htmx asks through hx-confirm itself).
  document.addEventListener('submit', function (e) {
    var f = e.target;
    if (f && f.dataset && f.dataset.confirm && !window.htmx && !window.confirm(f.dataset.confirm)) e.preventDefault();
  });

  // Each kind of chart: its ECharts option from the page's JSON.
  var BUILDERS = {
    // A campaign's progress against 序时进度, period by period.
    progress: function (d) {
      return {
        tooltip: { trigger: 'axis', valueFormatter: function (v) { return v == null ? '—' : v + '%'; } },
        legend: { data: ['平均整改进度', '序时进度', '完成销号率'] },
        grid: { left: 40, right: 16, top: 40, bottom: 30 },
        xAxis: { type: 'category', data: d.labels },
        yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
        series: [
          { name: '平均整改进度', type: 'line', data: d.progress, smooth: true },
          { name: '序时进度', type: 'line', data: d.target, lineStyle: { type: 'dashed' } },
          { name: '完成销号率', type: 'bar', data: d.completion, barMaxWidth: 24, itemStyle: { opacity: 0.5 } },
        ],
      };
    },
    // 试运行: letters per week as bars, overdue items as lines, one pair per policy.
    simulation: function (d) {
      return {
        tooltip: { trigger: 'axis' },
        legend: {},
        grid: { left: 40, right: 40, top: 40, bottom: 30 },
        xAxis: { type: 'category', data: d.labels },
        yAxis: [{ type: 'value', name: '函件' }, { type: 'value', name: '逾期', position: 'right' }],
        series: d.series,
      };
    },
  };

  // Charts: load ECharts (served by the app) only on a page that has one.
  function charts() {
    var nodes = document.querySelectorAll('[data-chart]');
    if (!nodes.length) return;
    var draw = function () {
      nodes.forEach(function (el) {
        var src = document.getElementById(el.dataset.source);
        if (!src || el.dataset.drawn) return;
        var d = JSON.parse(src.textContent);
        el.dataset.drawn = '1';
        var chart = window.echarts.init(el);
        chart.setOption((BUILDERS[el.dataset.chart] || BUILDERS.progress)(d));
        window.addEventListener('resize', function () { chart.resize(); });
      });
    };
    if (window.echarts) return draw();
    var s = document.createElement('script');
    s.src = '/assets/echarts.min.js';
    s.onload = draw;
    document.head.appendChild(s);
  }
  document.addEventListener('DOMContentLoaded', charts);
  document.addEventListener('htmx:afterSettle', charts);
})();
