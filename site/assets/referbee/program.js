/* The program page's call to action: it leads to the join form's email field, or, when the
   program has no join form (its customers sign in at the shop), opens the widget if the page
   has one. */
(function () {
  'use strict';
  var cta = document.querySelector('[data-referbee-cta]');
  if (!cta) return;
  cta.addEventListener('click', function () {
    var email = document.getElementById('referbee-join-email');
    if (email && !email.closest('[hidden]')) {
      email.focus();
      return;
    }
    var panel = document.querySelector('[data-referbee-panel]');
    if (!panel) return;
    if (typeof window.referbee === 'function') {
      try { window.referbee('open'); } catch (e) { /* the panel below is still there */ }
    }
    var focusable = panel.querySelector('button, a[href], input');
    if (focusable) focusable.focus();
  });
})();
