/* The dashboard's "Held for review" card: how many conversions a fraud rule holds, per reason
   in words, from the review queue's API (a read key is enough), and the commands that
   approve or reject them. Data reaches the page through textContent only. */
(function () {
  'use strict';
  var site = window.referbeeSite;
  var LIMIT = 1000; /* the most the API lists at once */
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
    var reasons = {}, words = {}; /* count and first flag, by label */
    reviews.forEach(function (review) {
      (review.reasons || []).forEach(function (reason) {
        /* the API's words, as `referbee report` shows them (one line per rule) */
        reasons[reason.label] = (reasons[reason.label] || 0) + 1;
        words[reason.label] = words[reason.label] || reason.flag;
      });
    });
    var list = slot('held-reasons');
    list.textContent = '';
    Object.keys(reasons).sort(function (a, b) { return reasons[b] - reasons[a] || (a < b ? -1 : 1); })
      .forEach(function (label) {
        var item = site.element('li', '', site.countOf(reasons[label], { one: 'conversion', other: 'conversions' }) + ': ' + label);
        item.setAttribute('data-reason', words[label]);
        item.setAttribute('data-value', String(reasons[label]));
        list.appendChild(item);
      });
    list.hidden = held === 0;
    slot('held-commands').hidden = held === 0;
    card.setAttribute('data-held', String(held));
    card.hidden = false;
  }
})();
