/* How a customer reaches their own link without anyone vouching for them: the program page's
   join form (the widget then shows the link; the private stats link goes by email), "email me
   my stats link" (a sign-in link, valid once for 30 minutes), and the sign-in page, which
   spends that link only when the customer presses its button (mail scanners that open links
   do not). */
(function () {
  'use strict';
  var site = window.referbeeSite;
  var MESSAGES = {
    invalid: 'Enter your email address like name@example.com.',
    limited: 'Too many tries from here: wait a few minutes, then try again.',
    closed: 'This referral program is not open right now.',
    unreachable: 'We can’t reach the referral service right now. Check your connection, then try again.'
  };

  each('[data-referbee-join]', joinForm);
  each('[data-referbee-signin]', signinForm);
  var signin = document.getElementById('referbee-signin');
  if (signin) signinPage(signin);

  function joinForm(form) {
    var input = form.querySelector('input[type="email"]');
    // The widget keeps its panel element shown: the wrapper is what hides it.
    var result = document.querySelector('[data-referbee-join-result]');
    var panel = result.querySelector('[data-referbee-panel]');
    var button = form.querySelector('button[type="submit"]');
    window.referbee = window.referbee || function () {
      (window.referbee.q = window.referbee.q || []).push(arguments);
    };
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var email = input.value.trim();
      if (!email || !input.checkValidity()) return fail(form, MESSAGES.invalid);
      clear(form);
      button.disabled = true;
      result.hidden = false;
      window.referbee('identify', { email: email });
    });
    panel.addEventListener('referbee:ready', function () {
      button.disabled = false;
      form.hidden = true;
    });
    panel.addEventListener('referbee:error', function (event) {
      button.disabled = false;
      result.hidden = true;
      var detail = event.detail || {};
      fail(form, problem(detail.status, detail.message));
    });
  }

  function signinForm(form) {
    var input = form.querySelector('input[type="email"]');
    var button = form.querySelector('button[type="submit"]');
    var done = form.querySelector('.referbee-email-form__done');
    var api = (form.getAttribute('data-api') || '').replace(/\/+$/, '');
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var email = input.value.trim();
      done.hidden = true;
      if (!email || !input.checkValidity()) return fail(form, MESSAGES.invalid);
      clear(form);
      button.disabled = true;
      var program = form.getAttribute('data-program-id');
      var url = api + '/v1/programs/' + encodeURIComponent(program) + '/signin';
      site.postJson(url, { email: email }).then(function (answer) {
        done.textContent = 'Check your inbox: if ' + (answer.sent_to || email) + ' has a ' +
          'referral link here, a sign-in link is on its way. It works once, within 30 minutes.';
        done.hidden = false;
      }, function (error) {
        fail(form, problem(error.status, error.message));
      }).then(function () {
        button.disabled = false;
      });
    });
  }

  function signinPage(root) {
    var page = new site.Page(root);
    var token = site.query('t');
    var program = site.query('p') || page.data.id;
    var sites = page.data.sites || {};
    each('[data-referbee-signin]', function (form) { form.setAttribute('data-program-id', program); });
    if (!token || !Object.prototype.hasOwnProperty.call(sites, program)) {
      page.show('missing');
      return;
    }
    page.show('ready');
    var button = root.querySelector('[data-action="open-stats"]');
    button.addEventListener('click', function () {
      button.disabled = true;
      page.slot('status').textContent = 'Opening your stats…';
      var url = page.api + '/v1/programs/' + encodeURIComponent(program) + '/signin/confirm';
      site.postJson(url, { token: token }).then(function (answer) {
        window.location.replace(root.getAttribute('data-root') + sites[program] + 'stats/?t=' +
          encodeURIComponent(answer.stats_token));
      }, function (error) {
        button.disabled = false;
        page.slot('status').textContent = '';
        if (error.status === 410 || error.status === 404) page.show('expired');
        else page.slot('status').textContent = problem(error.status, error.message);
      });
    });
  }

  function problem(status, message) {
    if (status === 400) return message || MESSAGES.invalid;
    if (status === 429) return MESSAGES.limited;
    if (status === 403 || status === 404) return MESSAGES.closed;
    return MESSAGES.unreachable;
  }

  function fail(form, text) {
    var error = form.querySelector('.referbee-email-form__error');
    var input = form.querySelector('input[type="email"]');
    error.textContent = text;
    error.hidden = false;
    input.setAttribute('aria-invalid', 'true');
    input.focus();
  }

  function clear(form) {
    var error = form.querySelector('.referbee-email-form__error');
    error.textContent = '';
    error.hidden = true;
    form.querySelector('input[type="email"]').removeAttribute('aria-invalid');
  }

  function each(selector, action) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), action);
  }
})();
