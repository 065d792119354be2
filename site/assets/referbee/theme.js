/* The light/dark toggle in the header (what the theme's own bundle would do): shows the
   button for the scheme in use, switches scheme on click and remembers the choice. */
(function () {
  'use strict';
  var inputs = Array.prototype.slice.call(document.querySelectorAll('input[name="__palette"]'));
  if (!inputs.length) return;

  function activate(input) {
    var color = {
      media: input.getAttribute('data-md-color-media'),
      scheme: input.getAttribute('data-md-color-scheme'),
      primary: input.getAttribute('data-md-color-primary'),
      accent: input.getAttribute('data-md-color-accent')
    };
    ['scheme', 'primary', 'accent'].forEach(function (key) {
      document.body.setAttribute('data-md-color-' + key, color[key]);
    });
    input.checked = true;
    inputs.forEach(function (other) {
      var label = other.nextElementSibling;
      if (label && label.tagName === 'LABEL') label.hidden = other !== input;
    });
    return color;
  }

  var scheme = document.body.getAttribute('data-md-color-scheme');
  activate(inputs.filter(function (input) {
    return input.getAttribute('data-md-color-scheme') === scheme;
  })[0] || inputs[0]);
  inputs.forEach(function (input, index) {
    input.addEventListener('change', function () {
      window.__md_set('__palette', { index: index, color: activate(input) });
    });
  });
})();
