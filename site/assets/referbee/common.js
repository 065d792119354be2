/* Helpers shared by the stats and leaderboard pages: talking to the referbee API, switching
   between the designed states of a page, and formatting numbers. Data only ever reaches the
   page through textContent and attributes, never as HTML. */
(function () {
  'use strict';
  var TIMEOUT_MS = 10000;
  var RETRY_DELAYS_S = [3, 6, 12];

  function ApiError(kind, status, message) {
    this.kind = kind; /* 'unreachable' | 'not-found' | 'unavailable' | 'error' */
    this.status = status;
    this.message = message;
  }

  function getJson(url, headers) {
    return send(url, { headers: headers });
  }

  /* A JSON body sent as text/plain: a "simple" request, with no CORS preflight. */
  function postJson(url, body) {
    return send(url, { method: 'POST', body: JSON.stringify(body) });
  }

  function send(url, extra) {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller && setTimeout(function () { controller.abort(); }, TIMEOUT_MS);
    var options = { credentials: 'omit', cache: 'no-store', referrerPolicy: 'no-referrer' };
    Object.keys(extra).forEach(function (name) { if (extra[name]) options[name] = extra[name]; });
    if (controller) options.signal = controller.signal;
    return fetch(url, options).then(function (response) {
      clearTimeout(timer);
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (response.ok) return body;
        var message = body && typeof body.error === 'string' ? body.error : '';
        if (response.status === 404) throw new ApiError('not-found', 404, message);
        if (response.status >= 500) throw new ApiError('unavailable', response.status, message);
        throw new ApiError('error', response.status, message || 'The request was refused.');
      });
    }, function () {
      clearTimeout(timer);
      throw new ApiError('unreachable', 0, '');
    });
  }

  function Page(root) {
    this.root = root;
    this.data = JSON.parse(root.getAttribute('data-program') || '{}');
    this.api = (root.getAttribute('data-api') || '').replace(/\/+$/, '');
  }

  Page.prototype.slot = function (name) {
    return this.root.querySelector('[data-slot="' + name + '"]');
  };

  Page.prototype.show = function (view) {
    this.root.setAttribute('data-state', view);
    this.root.setAttribute('aria-busy', view === 'loading' ? 'true' : 'false');
    var views = this.root.querySelectorAll('[data-view]');
    for (var i = 0; i < views.length; i++) {
      views[i].hidden = views[i].getAttribute('data-view') !== view;
    }
  };

  /* Runs `load` (which returns a promise) with the loading state, and on a network failure
     or a 5xx shows the unreachable state, retrying by itself a few times with growing pauses
     and at any time through the page's "Try again" buttons. */
  Page.prototype.run = function (load, onError) {
    var page = this;
    var attempt = 0;
    var timer = null;

    function go() {
      clearInterval(timer);
      page.show('loading');
      load().catch(function (error) {
        if (!(error instanceof ApiError)) error = new ApiError('error', 0, String(error));
        if (error.kind === 'unreachable' || error.kind === 'unavailable') {
          page.show('unreachable');
          schedule();
        } else {
          onError(error);
        }
      });
    }

    function schedule() {
      var note = page.slot('retry-note');
      if (attempt >= RETRY_DELAYS_S.length) {
        if (note) note.textContent = 'Press "Try again" when you are back online.';
        return;
      }
      var left = RETRY_DELAYS_S[attempt];
      attempt += 1;
      var tick = function () {
        if (note) note.textContent = 'Trying again in ' + left + ' s…';
        if (left-- <= 0) go();
      };
      tick();
      timer = setInterval(tick, 1000);
    }

    /* A page may run several loads (the dashboard's periods): "Try again" retries the last. */
    this.retry = function () {
      attempt = 0;
      go();
    };
    if (!this.retryBound) {
      this.retryBound = true;
      var buttons = this.root.querySelectorAll('[data-action="retry"]');
      for (var i = 0; i < buttons.length; i++) {
        buttons[i].addEventListener('click', function () { page.retry(); });
      }
    }
    go();
  };

  var LOCALE = document.documentElement.lang || undefined;

  function formatNumber(value) {
    return new Intl.NumberFormat(LOCALE).format(Number(value) || 0);
  }

  /* A share (0.257) as a percentage ("25.7%"), one way everywhere. */
  function formatPercent(value) {
    return new Intl.NumberFormat(LOCALE, { style: 'percent', maximumFractionDigits: 1 })
      .format(Number(value) || 0);
  }

  /* "1 click", "2 clicks": the number and the word for it, by the page language's plural
     rules. `forms` holds a word per plural category (at least `one` and `other`). */
  function countOf(value, forms) {
    var count = Number(value) || 0;
    var category = new Intl.PluralRules(LOCALE).select(count);
    return formatNumber(count) + ' ' + (forms[category] || forms.other);
  }

  function formatMoney(amount, currency) {
    try {
      return new Intl.NumberFormat(LOCALE, { style: 'currency', currency: currency }).format(amount);
    } catch (e) {
      return formatNumber(amount) + ' ' + currency;
    }
  }

  /* An amount as the API may send it: a number, text, or {CUR: amount}. */
  function formatAmount(value, fallbackCurrency) {
    if (value === null || value === undefined) return '';
    if (typeof value === 'number') {
      return fallbackCurrency ? formatMoney(value, fallbackCurrency) : formatNumber(value);
    }
    if (typeof value === 'string') return value;
    if (typeof value === 'object') {
      var parts = Object.keys(value).sort().map(function (currency) {
        return formatMoney(Number(value[currency]) || 0, currency);
      });
      return parts.length ? parts.join(' + ') : formatMoney(0, fallbackCurrency || 'USD');
    }
    return '';
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function query(name) {
    return new URLSearchParams(window.location.search).get(name);
  }

  window.referbeeSite = {
    ApiError: ApiError,
    Page: Page,
    getJson: getJson,
    postJson: postJson,
    formatNumber: formatNumber,
    countOf: countOf,
    formatPercent: formatPercent,
    formatMoney: formatMoney,
    formatAmount: formatAmount,
    element: element,
    query: query
  };
})();
