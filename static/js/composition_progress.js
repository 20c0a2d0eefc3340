// Keeps a progress bar (a composition run, an import being applied) up to date while it runs
// (progress[data-progress-url], see templates/circles/includes/_composition_run.html). Without
// JavaScript the page offers a plain link to refresh it instead.
(function () {
  "use strict";

  var INTERVAL_MS = 1500;

  function follow(bar) {
    var url = bar.getAttribute("data-progress-url");
    var label = document.getElementById(bar.getAttribute("data-progress-label"));

    function poll() {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("HTTP " + response.status);
          }
          return response.json();
        })
        .then(function (run) {
          bar.value = run.progress;
          if (label) {
            label.textContent = run.label;
          }
          if (run.finished) {
            // The circles changed (or the run ended without changing them): show the new page.
            window.location.reload();
          } else {
            window.setTimeout(poll, INTERVAL_MS);
          }
        })
        .catch(function () {
          window.setTimeout(poll, INTERVAL_MS * 4);
        });
    }

    window.setTimeout(poll, INTERVAL_MS);
  }

  document.querySelectorAll("progress[data-progress-url]").forEach(follow);
})();
