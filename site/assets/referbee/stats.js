/* The private stats page (stats/?t=<token>): one referrer's numbers from the referbee API. */
(function () {
  'use strict';
  var root = document.getElementById('referbee-stats');
  if (!root) return;
  var site = window.referbeeSite;
  var el = site.element;
  var page = new site.Page(root);
  var token = site.query('t');
  /* A paid reward's part that a refund or dispute took back (or a won dispute gave back):
     netted against the next payout. */
  var ADJUSTED = {
    refunded: 'taken back: the order was refunded',
    disputed: 'taken back: the payment is disputed',
    dispute_won: 'given back: the dispute was won'
  };
  var CHANNELS = {
    direct: 'Direct (no channel)', email: 'Email', x: 'X', facebook: 'Facebook',
    whatsapp: 'WhatsApp', linkedin: 'LinkedIn', share: 'Share menu', copy: 'Copied link',
    qr: 'QR code', sms: 'SMS', telegram: 'Telegram', messenger: 'Messenger',
    reddit: 'Reddit', widget: 'Widget', site: 'Program site'
  };

  if (!token) {
    page.show('no-token');
    return;
  }
  page.run(load, function (error) {
    if (error.kind === 'not-found') {
      page.slot('not-found-message').textContent =
        error.message || 'This stats link is not valid.';
      page.show('not-found');
    } else {
      page.slot('error-message').textContent = error.message || 'Please try again.';
      page.show('error');
    }
  });

  function load() {
    return site.getJson(page.api + '/v1/stats/' + encodeURIComponent(token)).then(function (stats) {
      var sites = page.data.sites || {};
      if (stats.program !== page.data.id && Object.prototype.hasOwnProperty.call(sites, stats.program)) {
        /* A token of another program of this deployment: its own site has its own brand. */
        window.location.replace(root.getAttribute('data-root') + sites[stats.program] +
          'stats/?t=' + encodeURIComponent(token));
        return;
      }
      render(stats);
      page.show('ready');
    });
  }

  function render(stats) {
    page.slot('greeting').textContent = stats.name
      ? 'Hi ' + stats.name + ', here is how your referral link is doing.'
      : 'Here is how your referral link is doing.';
    renderLink(stats);
    ['clicks', 'unique_clicks', 'signups', 'purchases', 'successful_referrals'].forEach(function (name) {
      var cell = root.querySelector('[data-counter="' + name + '"]');
      cell.textContent = site.formatNumber(stats[name]);
      cell.setAttribute('data-value', String(Number(stats[name]) || 0));
    });
    var revenue = root.querySelector('[data-counter="revenue"]');
    revenue.textContent = site.formatAmount(stats.revenue || {}, page.data.currency);
    revenue.setAttribute('data-value', JSON.stringify(stats.revenue || {}));
    page.slot('empty-note').hidden = Number(stats.clicks) > 0;
    renderRewards(stats.rewards);
    renderTier(stats.tier, stats.successful_referrals);
    renderChart(stats.daily, 30);
    var periods = root.querySelectorAll('[data-days]');
    Array.prototype.forEach.call(periods, function (button) {
      button.onclick = function () {
        Array.prototype.forEach.call(periods, function (other) {
          other.setAttribute('aria-pressed', String(other === button));
        });
        renderChart(stats.daily, Number(button.getAttribute('data-days')));
      };
    });
    renderChannels(stats.channels || {});
    var board = page.slot('leaderboard-link');
    if (board) board.setAttribute('href', '../leaderboard/?t=' + encodeURIComponent(token));
  }

  function withChannel(link, channel) {
    return link + (link.indexOf('?') < 0 ? '?' : '&') + 'ch=' + channel;
  }

  function shareText(stats, link) {
    var rewards = page.data.rewards || {};
    var values = {
      program: page.data.name || '', link: link, name: stats.name || '',
      friend_reward: (rewards.friend || {}).text || '',
      referrer_reward: (rewards.referrer || {}).text || ''
    };
    var message = page.data.share_message || '{link}';
    return message.replace(/\{(\w+)\}/g, function (all, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : all;
    });
  }

  function renderLink(stats) {
    var input = page.slot('link');
    var status = page.slot('copy-status');
    input.value = stats.link;
    root.querySelector('[data-action="copy"]').onclick = function () {
      copy(withChannel(stats.link, 'copy')).then(function () {
        status.textContent = 'Copied. Paste it anywhere to share it.';
      }, function () {
        input.select();
        status.textContent = 'Select the link above and copy it.';
      });
    };
    var share = root.querySelector('[data-action="share"]');
    if (navigator.share) {
      share.hidden = false;
      share.onclick = function () {
        var link = withChannel(stats.link, 'share');
        navigator.share({ title: page.data.name, text: shareText(stats, link), url: link })
          .catch(function () { /* closing the share sheet is not an error */ });
      };
    }
    page.slot('discount-code').hidden = !stats.discount_code;
    page.slot('discount-code-value').textContent = stats.discount_code || '';
    var email = page.slot('email-link');
    var subject = 'A gift for you from ' + (page.data.name || 'me');
    email.setAttribute('href', 'mailto:?subject=' + encodeURIComponent(subject) +
      '&body=' + encodeURIComponent(shareText(stats, withChannel(stats.link, 'email'))));
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) {
      var area = el('textarea');
      area.value = text;
      area.setAttribute('readonly', '');
      area.className = 'referbee-visually-hidden';
      document.body.appendChild(area);
      area.select();
      var done = document.execCommand && document.execCommand('copy');
      document.body.removeChild(area);
      if (done) resolve(); else reject(new Error('copy refused'));
    });
  }

  function renderRewards(rewards) {
    var section = root.querySelector('[data-section="rewards"]');
    var known = rewards && typeof rewards === 'object';
    ['earned', 'pending'].forEach(function (name) {
      var row = root.querySelector('[data-reward="' + name + '"]');
      var present = known && rewards[name] !== undefined && rewards[name] !== null;
      row.hidden = !present;
      if (present) {
        var cell = row.querySelector('dd');
        cell.textContent = site.formatAmount(rewards[name], page.data.currency);
        cell.setAttribute('data-value', JSON.stringify(rewards[name]));
      }
    });
    var items = known && Array.isArray(rewards.items) ? rewards.items : [];
    section.hidden = !items.length;
    var list = page.slot('reward-items');
    list.textContent = '';
    items.slice(0, 20).forEach(function (item) {
      var parts = [item.text || item.kind || 'Reward'];
      if (item.amount !== undefined) parts.push(site.formatAmount(item.amount, item.currency || page.data.currency));
      if (item.adjusts) parts.push('(' + (ADJUSTED[item.reason] || item.reason) + ')');
      else if (item.status) parts.push('(' + item.status + ')');
      list.appendChild(el('li', '', parts.join(' ')));
    });
  }

  function renderTier(tier, successes) {
    var section = root.querySelector('[data-section="tier"]');
    if (!tier || typeof tier !== 'object' || (!tier.current && !tier.next)) {
      section.hidden = true;
      return;
    }
    section.hidden = false;
    var progress = Math.max(0, Math.min(1, Number(tier.progress) || 0));
    var percent = Math.round(progress * 100);
    var bar = page.slot('tier-bar');
    bar.setAttribute('aria-valuenow', String(percent));
    bar.setAttribute('aria-valuetext', percent + '%');
    bar.querySelector('.referbee-bar__fill').style.width = percent + '%';
    var current = tier.current ? tier.current.name : '';
    var text = current ? 'You are in the ' + current + ' tier.' : 'You have no tier yet.';
    if (tier.current && tier.current.badge) text = tier.current.badge + ' ' + text;
    page.slot('tier-text').textContent = text;
    var legend = '';
    if (tier.next) {
      var left = Math.max(0, Number(tier.next.at) - (Number(successes) || 0));
      legend = left + ' more successful referral' + (left === 1 ? '' : 's') + ' to reach ' +
        tier.next.name + ' (at ' + tier.next.at + ').';
    } else {
      legend = 'You have reached the top tier.';
    }
    page.slot('tier-legend').textContent = legend;
  }

  function renderChart(daily, days) {
    var points = site.chart.series(daily, days, new Date());
    var label = site.chart.draw(page.slot('chart'), points);
    page.slot('chart-summary').textContent = 'Last ' + label + '. Dots: clicks; bars: sign-ups and purchases.';
    site.chart.table(page.slot('chart-table'), points);
  }

  function renderChannels(channels) {
    var list = page.slot('channels');
    list.textContent = '';
    var names = Object.keys(channels).filter(function (n) { return Number(channels[n]) > 0; });
    names.sort(function (a, b) { return channels[b] - channels[a] || (a < b ? -1 : 1); });
    page.slot('channels-empty').hidden = names.length > 0;
    var most = names.length ? Number(channels[names[0]]) : 1;
    names.forEach(function (name) {
      var item = el('li', 'referbee-channel');
      item.setAttribute('data-channel', name);
      item.setAttribute('data-value', String(channels[name]));
      item.appendChild(el('span', 'referbee-channel__name', CHANNELS[name] || name));
      item.appendChild(el('span', 'referbee-channel__count', site.formatNumber(channels[name]) +
        (Number(channels[name]) === 1 ? ' click' : ' clicks')));
      var bar = el('span', 'referbee-channel__bar');
      bar.setAttribute('aria-hidden', 'true');
      bar.style.width = Math.max(2, Math.round((channels[name] / most) * 100)) + '%';
      item.appendChild(bar);
      list.appendChild(item);
    });
  }
})();
