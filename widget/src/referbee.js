/*
 * referbee widget: the referral panel, share buttons and landing-page attribution.
 *
 *   <script async src="{site}/widget/referbee.js" data-api="{api}" data-program="{id}"></script>
 *   <div data-referbee-panel></div>
 *
 * Calls made before the script loads wait in a queue:
 *   window.referbee = window.referbee || function () { (referbee.q = referbee.q || []).push(arguments); };
 *   referbee('identify', {email, name, signature}); referbee('convert', {event, orderId, amount,
 *   currency, signature}); referbee('open');
 * and, once loaded, referbee.clickId(): the referral for a Stripe Checkout Session's
 * client_reference_id.
 *
 * The panel's element receives `referbee:ready` ({code}) once the customer's link is shown and
 * `referbee:error` ({status, message}) when it could not be; without a signed identity the
 * panel shows the link and says where the private stats link was sent, never the link itself.
 *
 * Rules this file keeps: it never throws into the host page (failures are a console.warn), it
 * sets every piece of data as text (never HTML), and it draws only inside its shadow roots.
 * `referbee widget build` minifies it and fills in "@CSS@" with widget/src/referbee.css.
 */
(function (w, d) {
  'use strict';
  var me = d.currentScript;
  var queued = w.referbee;
  // Two snippets on one page: the first one to run owns the page.
  if (queued && queued.rk) return;
  var stub = w.referbee = queued || function () { (stub.q = stub.q || []).push(arguments); };
  stub.rk = 1;

  var CSS = "@CSS@";
  // English is built in; the other languages are one small file each (referbee.fr.js...),
  // loaded only by pages in that language.
  var EN = {
    title: 'Invite friends', hi: 'Hi {name}, here is your link.', you: 'You get', friend: 'Your friend gets',
    link: 'Your referral link', copy: 'Copy', copied: 'Copied', share: 'Share',
    more: 'More\u2026', email: 'Email', qr: 'QR code of your referral link',
    clicks: 'Clicks', signups: 'Sign-ups', purchases: 'Purchases', rewards: 'Rewards',
    stats: 'See all your stats', signin: 'Sign in to get your referral link.',
    wait: 'Loading\u2026', down: 'Your referral link could not be loaded.', retry: 'Try again',
    off: 'Referrals are not available right now.', close: 'Close',
    launcher: 'Refer a friend', sent: '{name} sent you {reward}',
    gift: 'A friend sent you {reward}', mailed: 'We sent your private stats link to {email}.',
    code: 'Friends can also use your code {code}', checking: 'Being checked'
  };
  var LOCALES = /^(fr|de|es|pt|it|nl)$/;
  var REF = /^[a-z0-9][a-z0-9-]{2,31}$/;
  // Click ids are opaque to the widget (the API checks their signature): a code, then
  // three to six dot-separated parts, code.time.nonce[.visitor[.channel.page]].mac
  // (lower-case letters, digits, - and _; the landing page name may be empty).
  var CLICK = /^([a-z0-9][a-z0-9-]{2,31})(\.[0-9a-z_-]{0,64}){3,6}$/;

  var cfg = (me && me.dataset) || {};
  var api = (cfg.api || '').replace(/\/+$/, '');
  var program = cfg.program || '';
  var asked = (cfg.locale || d.documentElement.lang || '').slice(0, 2).toLowerCase();
  var locale = LOCALES.test(asked) ? asked : 'en';
  var t = EN;
  var enc = encodeURIComponent;
  var base = api + '/v1/programs/' + enc(program);
  var COOKIE = 'referbee_' + program;
  var views = []; // where the panel is drawn: the inline panel and the dialog
  var who = null, referrer = null, stats = null, info = null, failure = null, busy = false;
  var pending = null, sheet = null, layer = null, dialog = null;

  var referbee = guard(function (command, options) {
    options = options || {};
    if (command === 'identify') identify(options);
    else if (command === 'convert') convert(options);
    else if (command === 'open') open();
    else if (command === 'strings') {
      Object.keys(EN).forEach(function (k) { if (typeof options[k] === 'string') EN[k] = options[k]; });
    }
    else warn('unknown command "' + command + '"');
  });
  referbee.rk = 1;
  referbee.clickId = clickId;

  if (d.readyState === 'loading') d.addEventListener('DOMContentLoaded', guard(start));
  else guard(start)();

  function start() {
    if (!/^https?:\/\/[^/]/.test(api) || !/^[a-z0-9-]{1,32}$/.test(program)) {
      return warn('the script tag needs data-api and data-program');
    }
    w.referbee = referbee;
    if (locale === 'en' || !me || !me.src) return begin();
    var begun = false, go = guard(function () {
      if (begun) return;
      begun = true;
      begin();
    });
    var pack = h('script', { src: me.src.replace(/\.js(\?.*)?$/, '.' + locale + '.js$1') });
    pack.onload = pack.onerror = go;
    setTimeout(go, 3000);
    d.head.appendChild(pack);
  }

  function begin() {
    var queue = stub.q || [];
    attribute();
    checkout();
    // ... and again on every click, for those the page adds later.
    d.addEventListener('click', guard(checkout), true);
    var el = d.querySelector('[data-referbee-panel]');
    if (el && !el.shadowRoot) {
      views.push(mount(el));
      if (el.dataset.email) identify(el.dataset);
    }
    if (cfg.launcher != null) launcher();
    queue.forEach(function (args) { referbee.apply(null, args); });
    var order = d.querySelector('[data-referbee-convert]');
    if (order) convert(order.dataset);
    show();
  }

  // Landing pages: a referral in the URL is saved in a first-party cookie, then removed.
  function attribute() {
    var url = new URL(location.href), query = url.searchParams;
    if (!query.has('ref') && !query.has('click')) return;
    var ref = (query.get('ref') || '').toLowerCase(), click = query.get('click') || '';
    query.delete('ref');
    query.delete('click');
    try {
      history.replaceState(history.state, '', url.pathname + url.search + url.hash);
    } catch (e) { /* sandboxed frames may refuse; the referral is still saved */ }
    var parsed = CLICK.exec(click);
    if (!ref && parsed) ref = parsed[1];
    if (!REF.test(ref)) return warn('ignored a bad referral code in the URL');
    if (!parsed || parsed[1] !== ref) click = '';
    var at = Date.now();
    remember(ref, click, at, 30);
    programInfo().then(function (p) { remember(ref, click, at, p.attribution_window_days); }, noop);
    greet(ref);
  }

  function remember(ref, click, at, days) {
    var value = [ref, click, at.toString(36)].join('~');
    var cookie = COOKIE + '=' + value + ';path=/;samesite=lax;expires=' +
      new Date(at + days * 864e5).toUTCString() + (location.protocol === 'https:' ? ';secure' : '');
    var host = location.hostname, labels = host.split('.');
    // The widest domain the browser accepts (it refuses public suffixes such as co.uk), so
    // the referral is known on every subdomain of the shop.
    if (!/^[\d.]+$|:/.test(host)) {
      for (var i = labels.length - 2; i >= 0; i--) {
        d.cookie = cookie + ';domain=' + labels.slice(i).join('.');
        if (saved().join('~') === value) return;
      }
    }
    d.cookie = cookie;
  }

  // What Stripe's client_reference_id carries: the click id, or the code without one. Stripe
  // takes only letters, digits, - and _ there: each dot of a click id (lower-case) is an X.
  function clickId() {
    var s = saved();
    return REF.test(s[0]) ? (s[1] || s[0]).replace(/\./g, 'X') : '';
  }

  // Links and buttons to Stripe Payment Links and Checkout carry the referral.
  function checkout() {
    var id = clickId();
    if (id) [].forEach.call(d.querySelectorAll('a[href*="buy.stripe.com"],[data-referbee-checkout]'), function (el) {
      if (!el.href) return el.setAttribute('client-reference-id', id); // Stripe's buttons
      var url = new URL(el.href);
      url.searchParams.set('client_reference_id', id);
      el.href = url;
    });
  }

  function saved() {
    var found = d.cookie.match(new RegExp('(?:^|; )' + COOKIE + '=([^;]*)'));
    return (found ? found[1] : '').split('~');
  }

  function greet(ref) {
    var name = call(base + '/codes/' + enc(ref)).then(function (r) { return r.name; }, noop);
    Promise.all([programInfo(), name]).then(function (r) {
      var text = fill(r[1] ? t.sent : t.gift, { name: r[1], reward: r[0].rewards.friend.text });
      var close = h('button', { class: 'x', 'aria-label': t.close, text: '\u00d7' });
      var box = h('div', { class: 'bn' + (cfg.launcher != null ? ' up' : ''), role: 'status' },
        [h('span', { text: text }), close]);
      close.addEventListener('click', function () { box.remove(); });
      overlay().append(box);
      // It must not keep covering the page: it goes once the visitor scrolls on.
      setTimeout(function () { w.addEventListener('scroll', function () { box.remove(); }, { once: true }); }, 2e3);
    }).catch(function (e) { warn(e.message); });
  }

  function convert(o) {
    var ref = saved()[0], click = saved()[1];
    if (!REF.test(ref)) return; // not a referred visitor: nothing to report
    if (o.event !== 'signup' && o.event !== 'purchase') {
      return warn('convert needs event: "signup" or "purchase"');
    }
    var body = {
      event: o.event, order_id: o.orderId, amount: o.amount, currency: o.currency,
      ref: ref, click_id: click || undefined, signature: o.signature || undefined
    };
    // A beacon survives the page being closed; the pixel is for browsers without one.
    if (navigator.sendBeacon && navigator.sendBeacon(base + '/beacon', JSON.stringify(body))) return;
    var query = new URLSearchParams({ program: program, event: o.event, ref: ref });
    var extra = {
      order: o.orderId, amount: o.amount, currency: o.currency, click: click, sig: o.signature
    };
    Object.keys(extra).forEach(function (k) { if (extra[k]) query.set(k, extra[k]); });
    new Image().src = api + '/p.gif?' + query;
  }

  function identify(o) {
    if (typeof o.email !== 'string' || !o.email) return warn('identify needs an email');
    who = { email: o.email, name: o.name || undefined, signature: o.signature || undefined };
    referrer = stats = null;
    load();
  }

  function load() {
    if (!views.length || !who || busy) return;
    busy = true;
    failure = null;
    draw();
    // Without a signature the answer is public (the code and link), and asking again would
    // mail the stats link again: a browser asks once per address and keeps the answer.
    var kept = who.signature ? null : mine();
    Promise.all([programInfo(), kept || call(base + '/referrers', who)]).then(function (r) {
      referrer = r[1];
      if (!kept && !referrer.stats_token) mine(referrer);
      emit('ready', { code: referrer.code });
      return refresh();
    }).catch(function (e) {
      failure = e.status >= 400 && e.status < 500 ? 'off' : 'down';
      emit('error', { status: e.status || 0, message: e.message });
      warn(e.message);
    }).then(function () {
      busy = false;
      draw();
    });
  }

  // The anonymous answer for the identified address, kept in this browser (read, or write).
  function mine(answer) {
    var key = 'referbee:' + program + ':' + who.email.toLowerCase();
    try {
      if (answer) return localStorage.setItem(key, JSON.stringify(answer));
      var found = JSON.parse(localStorage.getItem(key));
      return found && REF.test(found.code) && /^https?:\/\//.test(found.link) ? found : null;
    } catch (e) {
      return null; // storage refused: ask the API
    }
  }

  // The counters are live: read again whenever the panel is opened.
  function refresh() {
    if (!referrer.stats_token) return;
    return call(api + '/v1/stats/' + enc(referrer.stats_token)).then(function (s) {
      stats = s;
      views.forEach(function (v) {
        var old = v.querySelector('dl');
        if (old) old.replaceWith(counters());
      });
    }, function (e) { warn(e.message); });
  }

  function programInfo() {
    pending = pending || call(base + '?locale=' + locale).then(function (p) {
      info = p;
      paint(p.brand && p.brand.primary_color);
      return p;
    }, function (e) {
      pending = null;
      throw e;
    });
    return pending;
  }

  function launcher() {
    programInfo().then(function (p) {
      var texts = p.widget || {};
      var button = h('button', {
        class: 'fl' + (texts.launcher_position === 'left' ? ' l' : ''),
        'aria-haspopup': 'dialog', text: texts.launcher_text || t.launcher
      });
      button.addEventListener('click', guard(open));
      overlay().append(button);
    }, function (e) { warn(e.message); });
  }

  function open() {
    if (!dialog) {
      var view = h('div');
      var close = h('button', { class: 'x', 'aria-label': t.close, text: '\u00d7' });
      dialog = h('dialog', { 'aria-labelledby': 'rk-title' }, [close, view]);
      close.addEventListener('click', function () { dialog.close(); });
      dialog.addEventListener('keydown', trap);
      overlay().append(dialog);
      views.push(view);
      view.append(panel());
    }
    if (!dialog.open) dialog.showModal();
    if (referrer && !busy) refresh();
    else show();
  }

  function show() {
    if (who) return load();
    draw();
    if (views.length) programInfo().then(draw, noop);
  }

  // A modal dialog keeps the page inert, but Tab can still leave for the browser's own UI;
  // keep it cycling inside the dialog.
  function trap(e) {
    if (e.key !== 'Tab') return;
    var stops = dialog.querySelectorAll('button,a[href],input');
    var first = stops[0], last = stops[stops.length - 1], at = dialog.getRootNode().activeElement;
    if (e.shiftKey ? at === first : at === last) {
      e.preventDefault();
      (e.shiftKey ? last : first).focus();
    }
  }

  function draw() {
    views.forEach(function (v) { v.replaceChildren(panel()); });
  }

  function panel() {
    var p = info || {}, texts = p.widget || {}, rewards = p.rewards;
    var kids = [h('h2', { id: 'rk-title', text: texts.title || t.title })];
    if (rewards) {
      kids.push(h('p', {}, [h('b', { text: t.you + ': ' }), rewards.referrer.text]));
      kids.push(h('p', {}, [h('b', { text: t.friend + ': ' }), rewards.friend.text]));
    }
    if (failure === 'down') {
      var again = h('button', { text: t.retry });
      again.addEventListener('click', guard(load));
      kids.push(h('p', { class: 'mu', text: t.down }), again);
    } else if (failure) {
      kids.push(h('p', { class: 'mu', text: t.off }));
    } else if (referrer && info) {
      if (referrer.name) kids.push(h('p', { text: fill(t.hi, { name: referrer.name }) }));
      kids = kids.concat(sharing(texts));
      if (referrer.stats_token) kids.push(counters());
      if (referrer.discount_code) kids.push(h('p', { text: fill(t.code, { code: referrer.discount_code }) }));
      if (/^https?:\/\//.test(referrer.stats_url)) {
        kids.push(h('a', { href: referrer.stats_url, target: '_blank', rel: 'noopener', text: t.stats }));
      } else if (referrer.stats_link_sent_to) {
        // Nobody vouched for who asked: the private stats link went to the address instead.
        kids.push(h('p', { role: 'status', text: fill(t.mailed, { email: referrer.stats_link_sent_to }) }));
      }
    } else {
      kids.push(h('p', { class: 'mu', 'aria-busy': who ? 'true' : null, text: who ? t.wait : t.signin }));
    }
    return h('div', { class: 'p' }, kids);
  }

  function sharing(texts) {
    var input = h('input', { id: 'rk-link', readonly: '', value: referrer.link });
    var status = h('p', { class: 'ok', role: 'status' });
    var copy = h('button', { text: texts.copy_text || t.copy });
    copy.addEventListener('click', guard(function () {
      var link = tagged('copy');
      var written = navigator.clipboard ? navigator.clipboard.writeText(link) : Promise.reject();
      written.catch(function () {
        input.value = link;
        input.select();
        if (!d.execCommand('copy')) throw new Error('copy failed');
      }).then(function () {
        status.textContent = t.copied;
        setTimeout(function () { status.textContent = ''; }, 3000);
      }, function () { input.select(); });
    }));
    var targets = [
      ['email', t.email, 'mailto:?subject=' + enc(info.name) + '&body=' + enc(message('email'))],
      ['x', 'X', 'https://x.com/intent/tweet?text=' + enc(message('x'))],
      ['facebook', 'Facebook', 'https://www.facebook.com/sharer/sharer.php?u=' + enc(tagged('facebook'))],
      ['whatsapp', 'WhatsApp', 'https://wa.me/?text=' + enc(message('whatsapp'))],
      ['linkedin', 'LinkedIn', 'https://www.linkedin.com/sharing/share-offsite/?url=' + enc(tagged('linkedin'))]
    ];
    var buttons = targets.map(function (x) {
      return h('a', {
        href: x[2], 'data-ch': x[0], text: x[1],
        target: x[0] === 'email' ? null : '_blank', rel: 'noopener noreferrer'
      });
    });
    if (navigator.share) {
      var more = h('button', { 'data-ch': 'share', text: t.more });
      more.addEventListener('click', guard(function () {
        var text = message('share', true).replace(/[\s:]+$/, '');
        navigator.share({ title: info.name, text: text, url: tagged('share') }).catch(noop);
      }));
      buttons.push(more);
    }
    return [
      h('label', { for: 'rk-link', text: t.link }),
      h('div', { class: 'row' }, [input, copy]),
      status,
      h('div', { class: 'sh', role: 'group', 'aria-label': t.share }, buttons),
      h('img', {
        class: 'qr', alt: t.qr, width: 132, height: 132, loading: 'lazy',
        src: base + '/codes/' + enc(referrer.code) + '/qr.svg'
      })
    ];
  }

  function counters() {
    if (!stats) return h('dl', { hidden: '' });
    var held = stats.checking || {};
    var cells = [[t.clicks, stats.clicks], [t.signups, stats.signups], [t.purchases, stats.purchases]];
    if (stats.rewards) cells.push([t.rewards, stats.rewards.earned]);
    // Held for review: how many are being checked, never why.
    if (held.purchases + held.signups) cells.push([t.checking, held.purchases + held.signups]);
    return h('dl', {}, cells.map(function (c) {
      return h('div', {}, [h('dt', { text: c[0] }), h('dd', { text: (+c[1] || 0).toLocaleString(locale) })]);
    }));
  }

  // The link with the channel it is shared through, so each click records where it came from.
  function tagged(channel) {
    return referrer.link + (referrer.link.indexOf('?') < 0 ? '?' : '&') + 'ch=' + channel;
  }

  function message(channel, bare) {
    var link = bare ? '' : tagged(channel), template = info.share_message || '{link}';
    var text = fill(template, {
      program: info.name, name: referrer.name || '', link: link,
      friend_reward: info.rewards.friend.text, referrer_reward: info.rewards.referrer.text
    });
    return template.indexOf('{link}') < 0 && link ? text + ' ' + link : text;
  }

  // Events on the panel's element, for the page that asked (the program page's join form).
  function emit(name, detail) {
    views.forEach(function (v) {
      v.getRootNode().host.dispatchEvent(new CustomEvent('referbee:' + name, { bubbles: true, detail: detail }));
    });
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, k) { return k in values ? values[k] : m; });
  }

  function call(url, body) {
    var abort = new AbortController();
    var timer = setTimeout(function () { abort.abort(); }, 10000);
    // A text/plain body keeps the request "simple": no CORS preflight round trip.
    return fetch(url, {
      method: body ? 'POST' : 'GET', body: body && JSON.stringify(body),
      credentials: 'omit', signal: abort.signal
    }).then(function (r) {
      return r.json().catch(noop).then(function (j) {
        if (r.ok) return j;
        var e = new Error((j && j.error) || 'HTTP ' + r.status);
        e.status = r.status;
        throw e;
      });
    }).finally(function () { clearTimeout(timer); });
  }

  function mount(host) {
    var root = host.attachShadow({ mode: 'open' });
    if (styles()) root.adoptedStyleSheets = [sheet];
    else root.append(h('style', { text: CSS }));
    return root.appendChild(h('div', { class: 'rk' }));
  }

  // Launcher, banner and dialog live in one fixed, zero-size element: the page's layout
  // never moves because of them.
  function overlay() {
    if (!layer) layer = mount(d.body.appendChild(d.createElement('referbee-widget')));
    return layer;
  }

  function styles() {
    if (!sheet && w.CSSStyleSheet && 'adoptedStyleSheets' in d) {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
    }
    return sheet;
  }

  function paint(color) {
    if (!styles() || !/^#[0-9a-f]{6}$/i.test(color || '')) return;
    var n = parseInt(color.slice(1), 16);
    var light = 0.299 * (n >> 16) + 0.587 * (n >> 8 & 255) + 0.114 * (n & 255) > 150;
    sheet.insertRule('.rk{--c:' + color + ';--t:' + (light ? '#111' : '#fff') + '}', sheet.cssRules.length);
  }

  function h(tag, props, kids) {
    var e = d.createElement(tag);
    Object.keys(props || {}).forEach(function (k) {
      var v = props[k];
      if (v == null) return;
      if (k === 'text') e.textContent = v;
      else e.setAttribute(k, v);
    });
    (kids || []).forEach(function (c) { if (c != null) e.append(c); });
    return e;
  }

  function guard(fn) {
    return function () {
      try {
        return fn.apply(this, arguments);
      } catch (e) {
        warn(e && e.message);
      }
    };
  }

  function warn(text) {
    try {
      console.warn('[referbee] ' + text);
    } catch (e) { /* no console: stay silent */ }
  }

  function noop() {}
})(window, document);
