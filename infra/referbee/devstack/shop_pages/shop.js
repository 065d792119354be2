// The signed-in customer, as the shop's own page would know them.
referbee('identify', { email: 'jane@example.com', name: document.getElementById('who-name').textContent });
