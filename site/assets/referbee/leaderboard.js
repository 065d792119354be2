/* The public leaderboard page: top referrers, masked names only, and the viewer's own rank
   when they came with their stats token (?t=). */
(function () {
  'use strict';
  var root = document.getElementById('referbee-leaderboard');
  if (!root) return;
  var site = window.referbeeSite;
  var el = site.element;
  var page = new site.Page(root);
  var token = site.query('t');

  page.run(function () {
    var url = page.api + '/v1/programs/' + encodeURIComponent(page.data.id) + '/leaderboard';
    if (token) url += '?t=' + encodeURIComponent(token);
    return site.getJson(url).then(function (board) {
      render(board);
      page.show('ready');
    });
  }, function (error) {
    page.slot('error-message').textContent = error.message || 'Please try again.';
    page.show('error');
  });

  function render(board) {
    var rows = page.slot('rows');
    rows.textContent = '';
    var leaders = board.leaders || [];
    page.slot('empty').hidden = leaders.length > 0;
    page.slot('board').hidden = leaders.length === 0;
    leaders.forEach(function (leader) {
      var row = el('tr', leader.you ? 'referbee-board__you' : '');
      if (leader.you) row.setAttribute('aria-current', 'true');
      var rank = el('td', '', '#' + leader.rank);
      var name = el('td', '', leader.name + (leader.you ? ' (you)' : ''));
      var count = el('td', '', site.formatNumber(leader.successful_referrals));
      count.setAttribute('data-value', String(leader.successful_referrals));
      [rank, name, count].forEach(function (cell) { row.appendChild(cell); });
      rows.appendChild(row);
    });
    var you = page.slot('you');
    var place = board.you;
    you.hidden = !place;
    if (!place) return;
    if (place.rank === null || place.rank === undefined) {
      you.textContent = 'You are not on the board yet: your first successful referral puts you on it.';
    } else if (place.in_top) {
      you.textContent = 'You are #' + place.rank + ' with ' + place.successful_referrals +
        ' successful referral' + (place.successful_referrals === 1 ? '' : 's') + '. Well done!';
    } else {
      you.textContent = 'You are #' + place.rank + (place.rank_exact ? '' : ' or lower') +
        ' with ' + place.successful_referrals + ' successful referral' +
        (place.successful_referrals === 1 ? '' : 's') + '.';
    }
  }
})();
