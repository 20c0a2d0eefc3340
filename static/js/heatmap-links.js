// A heat-map cell with data-href opens the people behind it on a click. The picture stays an
// image to assistive technology; the list of busiest half-hours under it holds the same links.
document.addEventListener("click", function (event) {
  var cell = event.target.closest ? event.target.closest("[data-href]") : null;
  if (cell) {
    window.location.assign(cell.getAttribute("data-href"));
  }
});
