/* backendscan report: sortable and filterable tables, diagram zoom. No network, no libraries. */
(function () {
  "use strict";
  function cellValue(row, index) {
    var cell = row.cells[index];
    if (!cell) { return ""; }
    var v = cell.getAttribute("data-sort");
    return v !== null ? v : cell.textContent.trim();
  }
  var NUMBER = /^-?\d+(\.\d+)?$/;
  function compare(a, b) {
    if (NUMBER.test(a) && NUMBER.test(b)) { return parseFloat(a) - parseFloat(b); }
    return a.localeCompare(b, undefined, { numeric: true, sensitivity: "base" });
  }
  function makeSortable(table) {
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(heads, function (th, index) {
      th.setAttribute("tabindex", "0");
      th.addEventListener("click", function () {
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var asc = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        rows.sort(function (r1, r2) {
          var c = compare(cellValue(r1, index), cellValue(r2, index));
          return asc ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  }
  function applyFilter(box) {
    var table = document.getElementById(box.getAttribute("data-table"));
    if (!table) { return; }
    var input = box.querySelector("input");
    var words = (input ? input.value : "").toLowerCase().split(/\s+/).filter(Boolean);
    var off = {};
    Array.prototype.forEach.call(box.querySelectorAll("button[data-value]"), function (b) {
      if (!b.classList.contains("on")) { off[b.getAttribute("data-value")] = true; }
    });
    var shown = 0, total = 0;
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      total += 1;
      var text = row.textContent.toLowerCase();
      var ok = words.every(function (w) { return text.indexOf(w) >= 0; });
      var tag = row.getAttribute("data-tag");
      if (tag && off[tag]) { ok = false; }
      row.classList.toggle("hidden", !ok);
      if (ok) { shown += 1; }
    });
    var counter = box.querySelector(".shown");
    if (counter) { counter.textContent = shown + " of " + total + " shown"; }
  }
  function makeFilter(box) {
    var input = box.querySelector("input");
    if (input) { input.addEventListener("input", function () { applyFilter(box); }); }
    Array.prototype.forEach.call(box.querySelectorAll("button[data-value]"), function (b) {
      b.addEventListener("click", function () { b.classList.toggle("on"); applyFilter(box); });
    });
    applyFilter(box);
  }
  function makeZoom(tools) {
    var box = document.getElementById(tools.getAttribute("data-box"));
    var button = tools.querySelector("button");
    if (!box || !button) { return; }
    button.addEventListener("click", function () {
      box.classList.toggle("fit");
      button.textContent = box.classList.contains("fit") ? "Actual size" : "Fit to width";
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), makeSortable);
    Array.prototype.forEach.call(document.querySelectorAll(".filter[data-table]"), makeFilter);
    Array.prototype.forEach.call(document.querySelectorAll(".diagram-tools[data-box]"), makeZoom);
    document.body.setAttribute("data-ready", "1");
  });
}());
