// Refreshes an import's progress bar from its JSON status endpoint while it runs; reloads the
// page when it finishes. Without JavaScript the page's refresh link does the same job.
(function () {
  "use strict";
  var box = document.getElementById("import-progress");
  if (!box) { return; }
  var bar = document.getElementById("import-progress-bar");
  var text = document.getElementById("import-progress-text");
  var label = document.getElementById("import-status-label");
  var template = text.textContent;

  function poll() {
    fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (status) {
        if (!status.running) { window.location.reload(); return; }
        bar.value = status.percent;
        bar.textContent = status.percent + "%";
        label.textContent = status.label;
        text.textContent = status.processed.toLocaleString(document.documentElement.lang) +
          " / " + status.total.toLocaleString(document.documentElement.lang) +
          " (" + status.percent + "%)";
        window.setTimeout(poll, 1000);
      })
      .catch(function () { text.textContent = template; window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
}());
