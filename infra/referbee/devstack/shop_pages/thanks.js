// One line on a thank-you page reports the purchase; the widget adds the saved referral.
var params = new URLSearchParams(location.search);
var orderId = params.get('order') || 'demo-' + Date.now();
document.getElementById('order').textContent = orderId;
referbee('convert', {
  event: 'purchase',
  orderId: orderId,
  amount: params.get('amount') || '18.00',
  currency: document.currentScript.getAttribute('data-currency')
});
