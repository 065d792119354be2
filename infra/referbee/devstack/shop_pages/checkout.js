/* Checkout: the shop's server prices the order (with the friend discount for a referred
   customer's first order) and takes it; it reports the order to referbee itself. */
(function () {
  'use strict';
  var shop = window.demoShop;
  var item = new URLSearchParams(location.search).get('item') || 'guji';
  var place = document.getElementById('place');
  // One id per visit of this page: placing the order again (a double click, a retry) is the
  // same order for the shop and for referbee.
  var orderId = 'demo-' + Array.prototype.map.call(crypto.getRandomValues(new Uint8Array(8)), function (b) {
    return (b + 256).toString(16).slice(1);
  }).join('');

  var quote = 'api/quote?item=' + encodeURIComponent(item) +
    (shop.customer ? '&customer=' + encodeURIComponent(shop.customer) : '');
  shop.call(quote).then(function (priced) {
    shop.showCart(priced);
    document.getElementById('cart').hidden = false;
    var note = document.getElementById('note');
    note.textContent = priced.note;
    note.hidden = !priced.note;
    document.getElementById('signin').hidden = Boolean(shop.customer);
    place.disabled = !shop.customer;
  }, function (error) {
    shop.problem(error.message);
  });

  place.addEventListener('click', function () {
    place.disabled = true;
    shop.problem('');
    shop.call('api/orders', { order_id: orderId, item: item, customer: shop.customer }).then(function (order) {
      location.href = 'thanks.html?order=' + encodeURIComponent(order.order_id);
    }, function (error) {
      shop.problem(error.message);
      place.disabled = false;
    });
  });
})();
