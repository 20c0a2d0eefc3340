// Preselects the browser's own timezone in timezone choices that have none yet
// (select[data-browser-timezone], see community/timezones.py).
(function () {
  "use strict";

  // The browser's name for a zone: Chromium still says Asia/Calcutta where tzdata says Asia/Kolkata.
  function browserName(zone) {
    try {
      return new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone;
    } catch (error) {
      return "";
    }
  }

  var own = browserName(undefined);
  if (!own) {
    return;
  }
  document.querySelectorAll("select[data-browser-timezone]").forEach(function (select) {
    if (select.value) {
      return;
    }
    var options = Array.prototype.filter.call(select.options, function (option) {
      return option.value;
    });
    var match =
      options.find(function (option) { return option.value === own; }) ||
      options.find(function (option) { return browserName(option.value) === own; });
    if (match) {
      select.value = match.value;
    }
  });
})();
