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

  // On paper nothing can be opened: print every data table and definition.
  function openDetailsForPrinting() {
    document.querySelectorAll("details:not([open])").forEach(function (details) {
      details.setAttribute("open", "");
      details.setAttribute("data-opened-for-print", "");
    });
  }

  function closeDetailsAfterPrinting() {
    document.querySelectorAll("details[data-opened-for-print]").forEach(function (details) {
      details.removeAttribute("open");
      details.removeAttribute("data-opened-for-print");
    });
  }

  window.addEventListener("beforeprint", openDetailsForPrinting);
  window.addEventListener("afterprint", closeDetailsAfterPrinting);
  document.addEventListener("DOMContentLoaded", guessTimeZone);
  document.addEventListener("DOMContentLoaded", offerPrinting);
})();
