var params = new URLSearchParams(location.search);
var amount = params.get('amount') || '18.00';
document.getElementById('amount').value = amount;
document.getElementById('total').textContent = amount;
