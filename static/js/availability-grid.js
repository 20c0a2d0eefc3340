// Press and drag across the availability grid to tick or untick many half-hours at once
// (table[data-availability-grid]). Without this script every checkbox still works on its own.
(function () {
  "use strict";

  document.querySelectorAll("table[data-availability-grid]").forEach(function (table) {
    var dragging = false;
    var ticking = true;

    function box(event) {
      var cell = event.target.closest("td");
      return cell ? cell.querySelector("input[type=checkbox]") : null;
    }

    table.addEventListener("pointerdown", function (event) {
      var input = box(event);
      if (!input || event.button !== 0) {
        return;
      }
      event.preventDefault();
      dragging = true;
      ticking = !input.checked;
      input.checked = ticking;
    });
    table.addEventListener("pointerover", function (event) {
      var input = dragging ? box(event) : null;
      if (input) {
        input.checked = ticking;
      }
    });
    // The label's own click would undo what pointerdown did.
    table.addEventListener("click", function (event) {
      if (event.detail > 0 && box(event)) {
        event.preventDefault();
      }
    });
    document.addEventListener("pointerup", function () {
      dragging = false;
    });

    // Start the scrolled table at the first ticked half-hour, or at 07:00 (most people sleep before).
    var scroller = table.closest(".availability-scroll");
    var ticked = table.querySelector("input:checked");
    var row = ticked ? ticked.closest("tr") : table.tBodies[0].rows[14];
    if (scroller && row) {
      scroller.scrollTop = row.offsetTop - table.tHead.offsetHeight;
    }
  });
})();
