/* The theme's storage helpers (mkdocs-material defines them in an inline script; a file
   lets the Content-Security-Policy forbid inline scripts). Scoped to the site's root. */
(function () {
  'use strict';
  var scope = new URL('../../', document.currentScript.src);
  window.__md_scope = scope;
  window.__md_hash = function (value) {
    return Array.prototype.reduce.call(value, function (hash, ch) {
      return (hash << 5) - hash + ch.charCodeAt(0);
    }, 0);
  };
  window.__md_get = function (key, storage, base) {
    try {
      return JSON.parse((storage || localStorage).getItem((base || scope).pathname + '.' + key));
    } catch (e) {
      return null;
    }
  };
  window.__md_set = function (key, value, storage, base) {
    try {
      (storage || localStorage).setItem((base || scope).pathname + '.' + key, JSON.stringify(value));
    } catch (e) { /* storage may be disabled: the choice just isn't remembered */ }
  };
})();
