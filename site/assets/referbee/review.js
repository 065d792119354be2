/* The dashboard's "Held for review" card: how many conversions a fraud rule holds, per reason
   in words, from the review queue's API (a read key is enough), and the commands that
   approve or reject them. Data reaches the page through textContent only. */
(function () {
  'use strict';
  var site = window.referbeeSite;
  var LIMIT = 1000; /* the most the API lists at once */
  var REASONS = {
    'self_referral:email': 'self-referral: the referrer\u2019s own email',
    'self_referral:visitor': 'self-referral: from the browser that asked for the referrer\u2019s link',
    'duplicate_identity:visitor': 'the same visitor converting again',
    'duplicate_identity:email': 'the same email converting again',
    'duplicate_identity:customer': 'the same customer converting again',
    'velocity:referrer_per_hour': 'more in an hour than one referrer usually brings',
    'velocity:visitor_per_day': 'more in a day than one visitor usually makes',
    bot: 'reported by a bot',
    no_prior_click: 'no click on the link before it'
  };

  /* Fill `card` (the section with data-slot="held") for `program`; a failure leaves it hidden. */
  site.showHeldForReview = function (card, api, program, headers) {
    var url = api + '/v1/programs/' + encodeURIComponent(program) + '/reviews?limit=' + LIMIT;
    return site.getJson(url, headers).then(function (answer) {
      render(card, answer.reviews || []);
    }, function () {
      card.hidden = true;
    });
  };

  function render(card, reviews) {
    var slot = function (name) { return card.querySelector('[data-slot="' + name + '"]'); };
    var held = reviews.length;
    var count = site.countOf(held, { one: 'conversion is', other: 'conversions are' });
    slot('held-summary').textContent = held === 0
      ? 'No conversion is held for review.'
      : (held >= LIMIT ? 'At least ' : '') + count + ' held for review, counted apart and earning nothing until a person approves them.';
    var reasons = {};
    reviews.forEach(function (review) {
      (review.flags || []).forEach(function (flag) { reasons[flag] = (reasons[flag] || 0) + 1; });
    });
    var list = slot('held-reasons');
    list.textContent = '';
    Object.keys(reasons).sort(function (a, b) { return reasons[b] - reasons[a] || (a < b ? -1 : 1); })
      .forEach(function (flag) {
        var item = site.element('li', '', site.countOf(reasons[flag], { one: 'conversion', other: 'conversions' }) + ': ' + words(flag));
        item.setAttribute('data-reason', flag);
        item.setAttribute('data-value', String(reasons[flag]));
        list.appendChild(item);
      });
    list.hidden = held === 0;
    slot('held-commands').hidden = held === 0;
    card.setAttribute('data-held', String(held));
    card.hidden = false;
  }

  function words(flag) {
    if (REASONS[flag]) return REASONS[flag];
    if (flag.indexOf('disposable_email:') === 0) return 'a throwaway email address (' + flag.slice(17) + ')';
    return flag;
  }
})();
