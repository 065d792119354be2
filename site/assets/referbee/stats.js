/* The private stats page (stats/?t=<token>): one referrer's numbers from the referbee API. */
(function () {
  'use strict';
  var root = document.getElementById('referbee-stats');
  if (!root) return;
  var site = window.referbeeSite;
  var el = site.element;
  var page = new site.Page(root);
  var token = site.query('t');
  var REWARD_STATUS = {
    pending: 'on its way', approved: 'approved', paid: 'paid', void: 'cancelled',
    clawback: 'taken back'
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
      // Shown first, so that the chart is drawn at the width it is given.
      page.show('ready');
      render(stats);
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
    var days = 30;
    renderChart(stats.daily, days);
    var periods = root.querySelectorAll('[data-days]');
    Array.prototype.forEach.call(periods, function (button) {
      button.onclick = function () {
        Array.prototype.forEach.call(periods, function (other) {
          other.setAttribute('aria-pressed', String(other === button));
        });
        days = Number(button.getAttribute('data-days'));
        renderChart(stats.daily, days);
      };
    });
    var resized = null;
    window.addEventListener('resize', function () {
      clearTimeout(resized);
      resized = setTimeout(function () { renderChart(stats.daily, days); }, 150);
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
    renderShare(stats);
    page.slot('qr').setAttribute('src', page.api + '/v1/programs/' + encodeURIComponent(stats.program) +
      '/codes/' + encodeURIComponent(stats.code) + '/qr.svg');
  }

  /* The same share menu as the widget's, each target tagging the link with its channel; the
     phone's own share sheet is added where the browser has one. */
  function renderShare(stats) {
    var menu = page.slot('share');
    var enc = encodeURIComponent;
    var text = function (channel) { return enc(shareText(stats, withChannel(stats.link, channel))); };
    var link = function (channel) { return enc(withChannel(stats.link, channel)); };
    var subject = enc('A gift for you from ' + (page.data.name || 'me'));
    var targets = [
      ['email', 'Email', 'mailto:?subject=' + subject + '&body=' + text('email')],
      ['x', 'X', 'https://x.com/intent/tweet?text=' + text('x')],
      ['facebook', 'Facebook', 'https://www.facebook.com/sharer/sharer.php?u=' + link('facebook')],
      ['whatsapp', 'WhatsApp', 'https://wa.me/?text=' + text('whatsapp')],
      ['linkedin', 'LinkedIn', 'https://www.linkedin.com/sharing/share-offsite/?url=' + link('linkedin')]
    ];
    menu.textContent = '';
    targets.forEach(function (target) {
      var a = el('a', 'md-button', target[1]);
      a.setAttribute('href', target[2]);
      a.setAttribute('data-ch', target[0]);
      if (target[0] !== 'email') {
        a.setAttribute('target', '_blank');
        a.setAttribute('rel', 'noopener noreferrer');
      }
      menu.appendChild(a);
    });
    if (navigator.share) {
      var more = el('button', 'md-button', 'More…');
      more.type = 'button';
      more.setAttribute('data-ch', 'share');
      more.onclick = function () {
        var url = withChannel(stats.link, 'share');
        navigator.share({ title: page.data.name, text: shareText(stats, url), url: url })
          .catch(function () { /* closing the share sheet is not an error */ });
      };
      menu.appendChild(more);
    }
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

  /* Counts are counts and money is money: "3" rewards earned, worth "$40.00". */
  function renderRewards(rewards) {
    var section = root.querySelector('[data-section="rewards"]');
    var known = rewards && typeof rewards === 'object';
    ['earned', 'pending'].forEach(function (name) {
      var row = root.querySelector('[data-reward="' + name + '"]');
      var present = known && typeof rewards[name] === 'number';
      row.hidden = !present;
      if (present) {
        var cell = row.querySelector('dd');
        cell.textContent = site.formatNumber(rewards[name]);
        cell.setAttribute('data-value', String(rewards[name]));
      }
    });
    var worth = root.querySelector('[data-reward="value"]');
    var value = known && rewards.value && typeof rewards.value === 'object' ? rewards.value : {};
    var currencies = Object.keys(value).filter(function (k) { return k !== 'points'; });
    var parts = currencies.sort().map(function (k) { return site.formatMoney(Number(value[k]) || 0, k); });
    if (value.points) parts.push(site.countOf(value.points, { one: 'point', other: 'points' }));
    worth.hidden = !parts.length;
    worth.querySelector('dd').textContent = parts.join(' + ');
    worth.querySelector('dd').setAttribute('data-value', JSON.stringify(value));
    var items = known && Array.isArray(rewards.items) ? rewards.items : [];
    section.hidden = !items.length;
    var list = page.slot('reward-items');
    list.textContent = '';
    items.slice(0, 20).forEach(function (item) {
      var line = el('li', 'referbee-reward');
      line.appendChild(el('span', 'referbee-reward__text', item.text || 'Reward'));
      var status = REWARD_STATUS[item.status] || item.status || '';
      if (status) line.appendChild(el('span', 'referbee-reward__status referbee-reward__status--' + item.status, status));
      list.appendChild(line);
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
    // A badge that is only the tier's name again (the default) would say it twice.
    if (tier.current && tier.current.badge && tier.current.badge !== current) {
      text = tier.current.badge + ' ' + text;
    }
    page.slot('tier-text').textContent = text;
    var legend = '';
    if (tier.next) {
      var left = Math.max(0, Number(tier.next.at) - (Number(successes) || 0));
      legend = site.countOf(left, { one: 'more successful referral', other: 'more successful referrals' }) +
        ' to reach ' + tier.next.name + ' (at ' + site.formatNumber(tier.next.at) + ').';
    } else {
      legend = 'You have reached the top tier.';
    }
    page.slot('tier-legend').textContent = legend;
  }

  function renderChart(daily, days) {
    var points = site.chart.series(daily, days, new Date());
    var label = site.chart.draw(page.slot('chart'), points);
    page.slot('chart-summary').textContent = 'Last ' + label + '.';
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
      item.appendChild(el('span', 'referbee-channel__count', site.countOf(channels[name], { one: 'click', other: 'clicks' })));
      var bar = el('span', 'referbee-channel__bar');
      bar.setAttribute('aria-hidden', 'true');
      bar.style.width = Math.max(2, Math.round((channels[name] / most) * 100)) + '%';
      item.appendChild(bar);
      list.appendChild(item);
    });
  }
})();
