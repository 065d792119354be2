/* The thank-you page: the order as the shop's server took it, what the server told referbee,
   and the widget's `convert` (the browser's own report, a claim the server's report confirms). */
(function () {
  'use strict';
  var shop = window.demoShop;
  var orderId = new URLSearchParams(location.search).get('order') || '';
  var SERVER_REPORT = {
    recorded: 'The shop\u2019s server reported this order to referbee, which counted it for the link the customer came through.',
    review: 'The shop\u2019s server reported this order to referbee, which holds it for review: the analytics dashboard and referbee review list it.',
    no_referral: 'This order did not come through a referral link: there was nothing to tell referbee.'
  };

  if (!orderId) {
    shop.problem('No order to show: place one from the shop.');
    return;
  }
  shop.call('api/orders/' + encodeURIComponent(orderId)).then(function (order) {
    document.getElementById('order-id').textContent = order.order_id;
    shop.showCart(order);
    told(order);
    document.getElementById('order').hidden = false;
    // One line on a thank-you page reports the purchase; the widget adds the saved referral
    // (and sends nothing for a visitor who did not come through a referral link).
    referbee('convert', { event: 'purchase', orderId: order.order_id, amount: order.total, currency: order.currency });
    document.getElementById('browser-report').hidden = !order.referral;
  }, function (error) {
    shop.problem(error.message);
  });

  function told(order) {
    var report = order.referbee || {};
    var again = document.getElementById('report-again');
    var text = SERVER_REPORT[report.status] ||
      'The shop\u2019s server could not report this order to referbee: ' + (report.error || 'no answer') + '.';
    document.getElementById('server-report').textContent = text;
    again.hidden = Boolean(report.status);
    again.onclick = function () {
      again.disabled = true;
      var body = { order_id: order.order_id, item: order.item.id, customer: order.customer };
      shop.call('api/orders', body).then(told, function (error) {
        shop.problem(error.message);
      }).then(function () { again.disabled = false; });
    };
  }
})();
