// Progressive enhancements: every page works without this file.
(function () {
  "use strict";

  // Suggest the browser's own time zone in time zone fields that nobody has chosen yet.
  function guessTimeZone() {
    var zone;
    try {
      zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    } catch (error) {
      return;
    }
    if (!zone) {
      return;
    }
    document.querySelectorAll("select[data-guess-time-zone]").forEach(function (select) {
      if (select.value !== "UTC") {
        return;
      }
      var option = Array.prototype.find.call(select.options, function (item) {
        return item.value === zone;
      });
      if (option) {
        select.value = zone;
      }
    });
  }

  // Print buttons exist only where printing can be started from the page.
  function offerPrinting() {
    document.querySelectorAll("button[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        window.print();
      });
    });
  }

  document.addEventListener("DOMContentLoaded", guessTimeZone);
  document.addEventListener("DOMContentLoaded", offerPrinting);
})();
