/* The program page's call to action: when the refkit widget is on the page, open it;
   otherwise the button leads to the explanation of how to get a link. */
(function () {
  'use strict';
  var cta = document.querySelector('[data-refkit-cta]');
  if (!cta) return;
  cta.addEventListener('click', function () {
    var panel = document.querySelector('[data-refkit-panel]');
    if (!panel) return;
    if (typeof window.refkit === 'function') {
      try { window.refkit('open'); } catch (e) { /* the panel below is still there */ }
    }
    var focusable = panel.querySelector('button, a[href], input');
    if (focusable) focusable.focus();
  });
})();
