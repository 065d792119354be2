// Under a strict CSP nothing inline runs: the queue stub lives in the shop's own script.
window.refkit = window.refkit || function () { (refkit.q = refkit.q || []).push(arguments); };
