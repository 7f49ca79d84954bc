/* Draws the Statistics charts with the project's own plotly.js: each [data-figure] element
   names the json_script of its figure. Clicking a bar of a drill-down chart follows the same
   link as its row in the table below (an htmx swap with a real URL). */
(function () {
  "use strict";

  function draw(root) {
    if (!window.Plotly) return;
    root.querySelectorAll("[data-figure]").forEach(function (element) {
      var spec = JSON.parse(document.getElementById(element.dataset.figure).textContent);
      window.Plotly.newPlot(element, spec.data, spec.layout,
                            {responsive: true, displaylogo: false});
      element.dataset.drawn = "true";
      if (element.dataset.drill) {
        element.on("plotly_click", function (event) {
          var url = event.points[0].customdata && event.points[0].customdata[1];
          if (!url) return;
          var link = document.createElement("a");
          link.href = url;
          link.setAttribute("hx-get", url);
          link.setAttribute("hx-target", "#stats");
          link.setAttribute("hx-swap", "outerHTML");
          link.setAttribute("hx-push-url", "true");
          link.hidden = true;
          document.getElementById("stats").appendChild(link);
          window.htmx.process(link);
          link.click();
        });
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSettle", function (event) { draw(event.target); });
})();
