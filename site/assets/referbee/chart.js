/* The stats chart, drawn as SVG by this script (no chart library, nothing from another
   host): a line with a point per day for clicks and a bar per day for conversions, over the
   last 30 or 90 days, with a legend. `daily` from the API lists only days with activity; the
   rest are zeros. The drawing is as wide as its box in CSS pixels, so its labels keep their
   size on a phone (a scaled-down drawing would shrink them to a few pixels). */
(function () {
  'use strict';
  var SVG = 'http://www.w3.org/2000/svg'; /* the SVG namespace's name, never fetched */
  var HEIGHT = 220;
  var PAD = { left: 36, right: 12, top: 12, bottom: 28 };

  function isoDay(date) {
    return date.toISOString().slice(0, 10);
  }

  /* The last `days` UTC dates up to `today`, each with its counts (zero when absent). */
  function series(daily, days, today) {
    var byDate = {};
    (daily || []).forEach(function (day) { byDate[day.date] = day; });
    var end = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
    var out = [];
    for (var i = days - 1; i >= 0; i--) {
      var date = isoDay(new Date(end - i * 86400000));
      var day = byDate[date] || {};
      var signups = Number(day.signups) || 0;
      var purchases = Number(day.purchases) || 0;
      out.push({
        date: date,
        clicks: Number(day.clicks) || 0,
        signups: signups,
        purchases: purchases,
        conversions: signups + purchases
      });
    }
    return out;
  }

  function node(name, attrs, text) {
    var el = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach(function (key) { el.setAttribute(key, String(attrs[key])); });
    if (text !== undefined) el.textContent = text;
    return el;
  }

  function draw(container, points) {
    var site = window.referbeeSite;
    var WIDTH = Math.max(280, Math.round(container.clientWidth || 720));
    var max = Math.max(1, Math.max.apply(null, points.map(function (p) {
      return Math.max(p.clicks, p.conversions);
    })));
    var innerW = WIDTH - PAD.left - PAD.right;
    var innerH = HEIGHT - PAD.top - PAD.bottom;
    var step = innerW / Math.max(1, points.length - 1);
    var x = function (i) { return PAD.left + i * step; };
    var y = function (v) { return PAD.top + innerH - (v / max) * innerH; };
    var total = points.reduce(function (sum, p) { return sum + p.clicks; }, 0);
    var conversions = points.reduce(function (sum, p) { return sum + p.conversions; }, 0);
    var label = site.countOf(points.length, { one: 'day', other: 'days' }) + ': ' +
      site.countOf(total, { one: 'click', other: 'clicks' }) + ' and ' +
      site.countOf(conversions, { one: 'conversion', other: 'conversions' });
    var day = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
      month: 'short', day: 'numeric', timeZone: 'UTC'
    });
    var shortDate = function (iso) { return day.format(new Date(iso + 'T00:00:00Z')); };

    var svg = node('svg', {
      viewBox: '0 0 ' + WIDTH + ' ' + HEIGHT, role: 'img', 'aria-label': label,
      class: 'referbee-chart__svg', 'data-days': points.length
    });
    [0, max].forEach(function (value) {
      svg.appendChild(node('line', {
        x1: PAD.left, x2: WIDTH - PAD.right, y1: y(value), y2: y(value), class: 'referbee-chart__grid'
      }));
      svg.appendChild(node('text', {
        x: PAD.left - 6, y: y(value) + 4, 'text-anchor': 'end', class: 'referbee-chart__label'
      }, site.formatNumber(value)));
    });
    [0, Math.floor((points.length - 1) / 2), points.length - 1].forEach(function (i, n) {
      svg.appendChild(node('text', {
        x: x(i), y: HEIGHT - 8, class: 'referbee-chart__label',
        'text-anchor': n === 0 ? 'start' : n === 2 ? 'end' : 'middle'
      }, shortDate(points[i].date)));
    });
    var bars = node('g', { class: 'referbee-chart__bars', 'data-series': 'conversions' });
    var barWidth = Math.max(1, step * 0.6);
    points.forEach(function (p, i) {
      var bar = node('rect', {
        x: x(i) - barWidth / 2, y: y(p.conversions), width: barWidth,
        height: Math.max(0, PAD.top + innerH - y(p.conversions)),
        class: 'referbee-chart__bar', 'data-date': p.date, 'data-value': p.conversions
      });
      bar.appendChild(node('title', {}, shortDate(p.date) + ': ' +
        site.countOf(p.conversions, { one: 'conversion', other: 'conversions' })));
      bars.appendChild(bar);
    });
    svg.appendChild(bars);
    svg.appendChild(node('polyline', {
      points: points.map(function (p, i) { return x(i) + ',' + y(p.clicks); }).join(' '),
      class: 'referbee-chart__line'
    }));
    var dots = node('g', { class: 'referbee-chart__points', 'data-series': 'clicks' });
    points.forEach(function (p, i) {
      var dot = node('circle', {
        cx: x(i), cy: y(p.clicks), r: points.length > 45 ? 2 : 3,
        class: 'referbee-chart__point', 'data-date': p.date, 'data-value': p.clicks
      });
      dot.appendChild(node('title', {}, shortDate(p.date) + ': ' +
        site.countOf(p.clicks, { one: 'click', other: 'clicks' })));
      dots.appendChild(dot);
    });
    svg.appendChild(dots);
    container.textContent = '';
    container.appendChild(svg);
    return label;
  }

  /* The days with activity as a table, for screen readers and for anyone who wants numbers. */
  function table(container, points) {
    var el = window.referbeeSite.element;
    var active = points.filter(function (p) { return p.clicks || p.conversions; });
    container.textContent = '';
    if (!active.length) {
      container.appendChild(el('p', '', 'No clicks or conversions in this period.'));
      return;
    }
    var t = el('table');
    var head = el('tr');
    ['Day', 'Clicks', 'Sign-ups', 'Purchases'].forEach(function (h, i) {
      var th = el('th', i ? 'referbee-number' : '', h);
      th.scope = 'col';
      head.appendChild(th);
    });
    t.appendChild(el('thead')).appendChild(head);
    var body = t.appendChild(el('tbody'));
    var format = window.referbeeSite.formatNumber;
    active.forEach(function (p) {
      var row = el('tr');
      row.appendChild(el('td', '', p.date));
      [p.clicks, p.signups, p.purchases].forEach(function (v) {
        row.appendChild(el('td', 'referbee-number', format(v)));
      });
      body.appendChild(row);
    });
    container.appendChild(t);
  }

  window.referbeeSite.chart = { series: series, draw: draw, table: table };
})();
