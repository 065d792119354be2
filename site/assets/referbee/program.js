/* The program page's call to action: when the referbee widget is on the page, open it;
   otherwise the button leads to the explanation of how to get a link. */
(function () {
  'use strict';
  var cta = document.querySelector('[data-referbee-cta]');
  if (!cta) return;
  cta.addEventListener('click', function () {
    var panel = document.querySelector('[data-referbee-panel]');
    if (!panel) return;
    if (typeof window.referbee === 'function') {
      try { window.referbee('open'); } catch (e) { /* the panel below is still there */ }
    }
    var focusable = panel.querySelector('button, a[href], input');
    if (focusable) focusable.focus();
  });
})();
