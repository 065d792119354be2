/* The admin dashboard (admin/): the program's KPIs from the referbee API's analytics route,
   read with an admin key that the marketer pastes. The key is kept in sessionStorage only
   (gone when the tab closes) and sent only to the API, in the Authorization header. Every
   number comes from the API as it is (the same route `referbee report` reads) and reaches the
   page through textContent and attributes only. */
(function () {
  'use strict';
  var root = document.getElementById('referbee-admin');
  if (!root) return;
  var site = window.referbeeSite;
  var el = site.element;
  var page = new site.Page(root);
  var storageKey = 'referbee-admin-key:' + (page.data.id || '');
  var SVG = 'http://www.w3.org/2000/svg'; /* the SVG namespace's name, never fetched */
  var since = '30d';
  var KPIS = [
    ['participants', 'Participants', 'count'],
    ['active_referrers', 'Active referrers', 'count'],
    ['clicks', 'Clicks', 'count'],
    ['unique_clicks', 'Unique clicks', 'count'],
    ['signups', 'Sign-ups', 'count'],
    ['purchases', 'Purchases', 'count'],
    ['click_to_signup_rate', 'Click to sign-up', 'rate', 'other_signups', { one: 'other sign-up', other: 'other sign-ups' }],
    ['click_to_purchase_rate', 'Click to purchase', 'rate', 'other_purchases', { one: 'other purchase', other: 'other purchases' }],
    ['referred_revenue', 'Referred revenue', 'money'],
    ['average_order_value', 'Average order', 'money'],
    ['rewards_cost', 'Rewards cost', 'money'],
    ['rewards.pending', 'Rewards pending', 'rewards'],
    ['rewards.approved', 'Rewards approved', 'rewards'],
    ['rewards.paid', 'Rewards paid', 'rewards'],
    ['new_customers', 'New customers', 'count'],
    ['cost_per_acquired_customer', 'Cost per customer', 'money'],
    ['roi', 'ROI', 'rate'],
    ['viral_coefficient', 'Viral coefficient', 'number'],
    ['refunds', 'Refunds', 'count'],
    ['lifetime.30.repeat_purchase_rate', 'Repeat buyers (30 days)', 'rate'],
    ['lifetime.90.repeat_purchase_rate', 'Repeat buyers (90 days)', 'rate'],
    ['lifetime.365.repeat_purchase_rate', 'Repeat buyers (365 days)', 'rate'],
    ['lifetime.30.revenue_per_customer', 'Revenue per customer (30 days)', 'money'],
    ['lifetime.90.revenue_per_customer', 'Revenue per customer (90 days)', 'money'],
    ['lifetime.365.revenue_per_customer', 'Revenue per customer (365 days)', 'money']
  ];

  page.slot('key-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var key = page.slot('key-input').value.trim();
    if (!key) {
      askForKey('Paste an admin key first.');
      return;
    }
    sessionStorage.setItem(storageKey, key);
    page.slot('key-input').value = '';
    load();
  });
  root.querySelector('[data-action="forget"]').addEventListener('click', function () {
    sessionStorage.removeItem(storageKey);
    askForKey('');
  });
  Array.prototype.forEach.call(root.querySelectorAll('[data-since]'), function (button) {
    button.addEventListener('click', function () {
      since = button.getAttribute('data-since');
      load();
    });
  });
  Array.prototype.forEach.call(root.querySelectorAll('[data-download]'), function (button) {
    button.addEventListener('click', function () { download(button); });
  });

  if (sessionStorage.getItem(storageKey)) load(); else askForKey('');

  function askForKey(message) {
    var error = page.slot('key-error');
    error.textContent = message;
    error.hidden = !message;
    page.show('key');
    page.slot('key-input').focus();
  }

  function authorization() {
    return { Authorization: 'Bearer ' + (sessionStorage.getItem(storageKey) || '') };
  }

  function load() {
    page.run(function () {
      var url = page.api + '/v1/programs/' + encodeURIComponent(page.data.id) +
        '/analytics?since=' + encodeURIComponent(since);
      return site.getJson(url, authorization()).then(function (report) {
        // Shown first, so that the funnel is drawn at the width it is given.
        page.show('ready');
        render(report);
      });
    }, function (error) {
      if (error.status === 401 || error.status === 403) {
        sessionStorage.removeItem(storageKey);
        var why = error.status === 401
          ? 'This key was not accepted: check that it was copied whole and has not been revoked.'
          : 'This key may not read this program: use an admin key made for it.';
        askForKey((error.message ? error.message + ' ' : '') + why);
      } else {
        page.slot('error-message').textContent = error.message || 'Please try again.';
        page.show('error');
      }
    });
  }

  function render(report) {
    Array.prototype.forEach.call(root.querySelectorAll('[data-since]'), function (button) {
      button.setAttribute('aria-pressed', String(button.getAttribute('data-since') === since));
    });
    var period = report.period;
    page.slot('period').textContent = period.from + ' to ' + period.to + ' (' + period.days + ' days, UTC)';
    page.slot('summary').textContent = report.summary;
    renderKpis(report.kpis, report.currency);
    drawFunnel(page.slot('funnel'), report.daily);
    table(page.slot('channels'), 'Clicks and conversions by share channel', report.channels,
      [['name', 'Channel'], ['clicks', 'Clicks'], ['signups', 'Sign-ups'], ['purchases', 'Purchases'], ['revenue', 'Revenue']],
      'channel', report.currency);
    table(page.slot('top'), 'Top referrers', report.top_referrers,
      [['rank', 'Rank'], ['name', 'Name'], ['code', 'Code'], ['successful_referrals_all_time', 'Successful (all time)'],
       ['clicks', 'Clicks'], ['signups', 'Sign-ups'], ['purchases', 'Purchases'], ['revenue', 'Revenue']],
      'referrer', report.currency);
    table(page.slot('pages'), 'By landing page', report.landing_pages,
      [['name', 'Landing page'], ['clicks', 'Clicks'], ['signups', 'Sign-ups'], ['purchases', 'Purchases'], ['revenue', 'Revenue']],
      'page', report.currency);
    table(page.slot('models'), 'By attribution model', report.models,
      [['name', 'Model'], ['signups', 'Sign-ups'], ['purchases', 'Purchases'], ['revenue', 'Revenue'], ['shared', 'Shared credit']],
      'model', report.currency);
    var notes = page.slot('notes');
    notes.textContent = '';
    (report.notes || []).forEach(function (note) { notes.appendChild(el('li', '', note)); });
  }

  function pick(object, path) {
    return path.split('.').reduce(function (value, part) {
      return value === null || value === undefined ? undefined : value[part];
    }, object);
  }

  function renderKpis(kpis, currency) {
    var list = page.slot('kpis');
    list.textContent = '';
    KPIS.forEach(function (spec) {
      var value = pick(kpis, spec[0]);
      var box = el('div');
      box.appendChild(el('dt', '', spec[1]));
      var cell = el('dd', '', shown(value, spec[2], currency));
      cell.setAttribute('data-kpi', spec[0]);
      cell.setAttribute('data-value', JSON.stringify(value === undefined ? null : value));
      box.appendChild(cell);
      // A rate counts only conversions its clicks could have brought: the rest, beside it.
      var others = spec[3] ? Number(pick(kpis, spec[3])) : 0;
      if (others > 0) box.appendChild(el('dd', 'referbee-kpi__note', '+ ' + site.countOf(others, spec[4]) + ' without a click'));
      list.appendChild(box);
    });
  }

  function shown(value, kind, currency) {
    if (value === null || value === undefined) return '—';
    if (kind === 'rate') return site.formatPercent(value);
    if (kind === 'money') return site.formatMoney(Number(value), currency);
    if (kind === 'rewards') {
      var amount = value.value && value.value[currency] !== undefined ? value.value[currency] : 0;
      return site.countOf(value.count, { one: 'reward', other: 'rewards' }) + ', ' +
        site.formatMoney(Number(amount), currency);
    }
    if (kind === 'number') {
      return new Intl.NumberFormat(document.documentElement.lang || undefined, { maximumFractionDigits: 2 })
        .format(Number(value) || 0);
    }
    return site.formatNumber(value);
  }

  function table(container, caption, rows, columns, kind, currency) {
    container.textContent = '';
    if (!rows || !rows.length) {
      container.appendChild(el('p', 'referbee-empty', 'Nothing in this period.'));
      return;
    }
    var t = el('table');
    t.setAttribute('data-table', kind);
    t.appendChild(el('caption', '', caption));
    var head = el('tr');
    columns.forEach(function (column) {
      var th = el('th', '', column[1]);
      th.scope = 'col';
      head.appendChild(th);
    });
    t.appendChild(el('thead')).appendChild(head);
    var body = t.appendChild(el('tbody'));
    rows.forEach(function (row) {
      var tr = el('tr');
      tr.setAttribute('data-row', String(row.code || row.name));
      columns.forEach(function (column) {
        var value = row[column[0]];
        // Split rows carry their key in words (`label`): "Link copied or typed", not "direct".
        var text = column[0] === 'revenue' ? site.formatMoney(Number(value) || 0, currency) :
          column[0] === 'name' && row.label ? row.label :
          typeof value === 'number' ? site.formatNumber(value) : String(value);
        var td = el('td', '', text);
        td.setAttribute('data-field', column[0]);
        td.setAttribute('data-value', JSON.stringify(value));
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    container.appendChild(t);
  }

  /* Two panels on their own scales: clicks and unique clicks above, sign-ups and purchases
     below (conversions are a small fraction of clicks and would vanish on a shared scale).
     Unique clicks are drawn last, dashed over the clicks line, so they stay visible where the
     two are equal; the drawing is as wide as its box, so labels keep their size on a phone. */
  function drawFunnel(container, daily) {
    var width = Math.max(280, Math.round(container.clientWidth || 720)), height = 300;
    var left = 40, right = 12;
    var panels = [
      { top: 18, bottom: 140, series: [['clicks', 'referbee-funnel__clicks'], ['unique_clicks', 'referbee-funnel__unique']] },
      { top: 172, bottom: 272, series: [['signups', 'referbee-funnel__signups'], ['purchases', 'referbee-funnel__purchases']] }
    ];
    var day = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
      month: 'short', day: 'numeric', timeZone: 'UTC'
    });
    var count = daily.length;
    var x = function (i) { return left + (width - left - right) * (count > 1 ? i / (count - 1) : 0.5); };
    var svg = svgNode('svg', {
      viewBox: '0 0 ' + width + ' ' + height, role: 'img', class: 'referbee-chart__svg',
      'aria-label': 'Clicks, unique clicks, sign-ups and purchases per day, ' + count + ' days'
    });
    panels.forEach(function (panel) {
      var peak = 1;
      daily.forEach(function (day) {
        panel.series.forEach(function (s) { peak = Math.max(peak, Number(day[s[0]]) || 0); });
      });
      var y = function (v) { return panel.bottom - (panel.bottom - panel.top) * v / peak; };
      [0, peak].forEach(function (value) {
        svg.appendChild(svgNode('line', { x1: left, x2: width - right, y1: y(value), y2: y(value), class: 'referbee-chart__grid' }));
        svg.appendChild(svgNode('text', { x: left - 6, y: y(value) + 4, 'text-anchor': 'end', class: 'referbee-chart__label' }, site.formatNumber(value)));
      });
      panel.series.forEach(function (s) {
        var points = daily.map(function (day, i) { return x(i) + ',' + y(Number(day[s[0]]) || 0); });
        var line = svgNode('polyline', { points: points.join(' '), class: 'referbee-funnel__line ' + s[1], 'data-series': s[0] });
        svg.appendChild(line);
      });
    });
    if (count) {
      [0, count - 1].forEach(function (i, n) {
        svg.appendChild(svgNode('text', {
          x: x(i), y: height - 6, class: 'referbee-chart__label', 'text-anchor': n === 0 ? 'start' : 'end'
        }, day.format(new Date(daily[i].date + 'T00:00:00Z'))));
      });
    }
    container.textContent = '';
    container.appendChild(svg);
  }

  function svgNode(name, attrs, text) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach(function (key) { node.setAttribute(key, String(attrs[key])); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /* A CSV export, every page of it (the API pages with X-Referbee-Next-Cursor), saved as a
     file through a temporary object URL. */
  function download(button) {
    var kind = button.getAttribute('data-download');
    var status = button.getAttribute('data-status');
    var note = page.slot('download-status');
    var base = page.api + '/v1/programs/' + encodeURIComponent(page.data.id) + '/analytics/' + kind +
      '?format=csv&since=' + encodeURIComponent(since) + (status ? '&status=' + status : '');
    var parts = [];
    note.textContent = 'Preparing ' + kind + '…';

    function next(cursor) {
      var url = base + (cursor ? '&cursor=' + encodeURIComponent(cursor) : '');
      return fetch(url, {
        headers: authorization(), credentials: 'omit', cache: 'no-store', referrerPolicy: 'no-referrer'
      }).then(function (response) {
        if (!response.ok) {
          return response.json().catch(function () { return {}; }).then(function (body) {
            throw new Error(body.error || 'The download was refused (' + response.status + ').');
          });
        }
        return response.text().then(function (text) {
          parts.push(parts.length ? text.slice(text.indexOf('\n') + 1) : text);
          var more = response.headers.get('X-Referbee-Next-Cursor');
          return more ? next(more) : null;
        });
      });
    }

    next('').then(function () {
      var name = page.data.id + '-' + kind + (status ? '-' + status : '') + '.csv';
      var link = el('a');
      link.href = URL.createObjectURL(new Blob(parts, { type: 'text/csv' }));
      link.download = name;
      link.hidden = true;
      document.body.appendChild(link);
      link.click();
      setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
      note.textContent = 'Saved ' + name + '.';
    }, function (error) {
      note.textContent = error.message || 'The download failed; try again.';
    });
  }
})();
