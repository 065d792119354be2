// Under a strict CSP nothing inline runs: the queue stub lives in the shop's own script.
window.referbee = window.referbee || function () { (referbee.q = referbee.q || []).push(arguments); };
