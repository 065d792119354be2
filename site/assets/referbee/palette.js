/* Paints the page in the visitor's light/dark choice before it shows: the saved choice, else
   the scheme their device asks for. Runs inside the header, right after the palette form. */
(function () {
  'use strict';
  var saved = window.__md_get('__palette');
  var color = saved && saved.color;
  if (!color) {
    var inputs = document.querySelectorAll('input[name="__palette"][data-md-color-media]');
    for (var i = 0; i < inputs.length; i++) {
      var media = inputs[i].getAttribute('data-md-color-media');
      if (media && window.matchMedia(media).matches) {
        color = {
          scheme: inputs[i].getAttribute('data-md-color-scheme'),
          primary: inputs[i].getAttribute('data-md-color-primary'),
          accent: inputs[i].getAttribute('data-md-color-accent')
        };
        break;
      }
    }
  }
  if (!color) return;
  ['scheme', 'primary', 'accent'].forEach(function (key) {
    if (color[key]) document.body.setAttribute('data-md-color-' + key, color[key]);
  });
})();
