/* The demo shop's own script, on every page: who is signed in (kept in this browser, as a
   real shop keeps its session), the switcher in the header, and telling the widget who the
   customer is, with the signature the shop's server computed for their email. Amounts are
   formatted here, with Intl, in the page's language and the program's currency. */
(function () {
  'use strict';
  var KEY = 'demo-shop:customer';
  var root = document.documentElement;
  var lang = root.lang || undefined;
  var currency = root.getAttribute('data-currency') || 'USD';
  var chosen = '';
  try {
    chosen = localStorage.getItem(KEY) || '';
  } catch (e) { /* storage refused: nobody is signed in */ }

  var switcher = document.getElementById('customer');
  switcher.value = chosen;
  if (switcher.value !== chosen) chosen = switcher.value = '';
  switcher.addEventListener('change', function () {
    try {
      if (switcher.value) localStorage.setItem(KEY, switcher.value);
      else localStorage.removeItem(KEY);
    } catch (e) { /* storage refused: the choice lasts for this page only */ }
    location.reload();
  });

  // The shop's server answers its customer: name, email and the signature that lets the
  // widget show their private stats link. Signed out, the widget is told nothing.
  var ready = chosen ? call('api/customer?as=' + encodeURIComponent(chosen)) : Promise.resolve(null);
  ready.then(function (customer) {
    if (!customer) return;
    referbee('identify', { email: customer.email, name: customer.name, signature: customer.signature || undefined });
    var note = document.getElementById('unsigned-note');
    if (note) note.hidden = customer.signed;
  }, function (error) {
    console.warn('[demo shop] ' + error.message);
  });

  Array.prototype.forEach.call(document.querySelectorAll('[data-price]'), function (price) {
    price.textContent = money(Number(price.getAttribute('data-price')));
  });

  // "−$2.70" for a discount: Intl's own minus, shown as the typographic one.
  function money(amount) {
    return new Intl.NumberFormat(lang, { style: 'currency', currency: currency })
      .formatToParts(amount)
      .map(function (part) { return part.type === 'minusSign' ? '\u2212' : part.value; })
      .join('');
  }

  // The shop's server: JSON in and out; a refusal carries {"error": ...} in words.
  function call(path, body) {
    var options = body ? {
      method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' }
    } : {};
    return fetch(path, options).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (answer) {
        if (response.ok) return answer;
        var error = new Error(answer.error || 'The shop could not answer (' + response.status + ').');
        error.status = response.status;
        throw error;
      });
    });
  }

  // The order lines that checkout and the thank-you page share.
  function showCart(order) {
    document.getElementById('item-name').textContent = order.item.name;
    document.getElementById('subtotal').textContent = money(order.subtotal);
    var row = document.getElementById('discount-row');
    row.hidden = !order.discount;
    if (order.discount) {
      document.getElementById('discount-label').textContent = order.discount.label;
      document.getElementById('discount').textContent = money(-order.discount.amount);
    }
    document.getElementById('total').textContent = money(order.total);
  }

  function problem(message) {
    var box = document.getElementById('problem');
    box.textContent = message;
    box.hidden = !message;
  }

  window.demoShop = { customer: chosen, ready: ready, call: call, money: money, showCart: showCart, problem: problem };
})();
