// Keyboard shortcuts of the staff UI. Queue: j/k move, o or Enter open,
// x select for bulk approval, a/e/r/c open the request at that action.
// Request page: a approve, e edit the first draft, r reject, c claim.
(function () {
  "use strict";
  function typing(e) {
    var t = e.target;
    return t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
  }
  function queue(key) {
    var rows = Array.prototype.slice.call(document.querySelectorAll("tr.row"));
    if (!rows.length) return false;
    var i = rows.findIndex(function (r) { return r.classList.contains("selected"); });
    if (key === "j" || key === "k") {
      if (i >= 0) rows[i].classList.remove("selected");
      i = key === "j" ? Math.min(rows.length - 1, i + 1) : Math.max(0, i - 1);
      rows[i].classList.add("selected");
      rows[i].scrollIntoView({ block: "nearest" });
      return true;
    }
    if (i < 0) return false;
    var href = rows[i].dataset.href;
    var hash = { a: "#approve", e: "#edit", r: "#reject", c: "#claim" }[key];
    if (key === "o" || key === "Enter") { location.href = href; return true; }
    if (key === "x") { var cb = rows[i].querySelector("input[type=checkbox]"); if (cb) cb.checked = !cb.checked; return true; }
    if (hash) { location.href = href + hash; return true; }
    return false;
  }
  function request(key) {
    var el;
    switch (key) {
      case "a":
        el = document.getElementById("approve-btn");
        if (el && confirm("Approve and send every draft of this request?")) el.click();
        return !!el;
      case "e":
        el = document.querySelector("details.edit");
        if (el) { el.open = true; el.querySelector("textarea").focus(); }
        return !!el;
      case "r":
        el = document.getElementById("reject-reason");
        if (el) el.focus();
        return !!el;
      case "c":
        el = document.getElementById("claim-btn");
        if (el) el.click();
        return !!el;
    }
    return false;
  }
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e)) return;
    var page = document.body.dataset.page;
    var done = page === "queue" ? queue(e.key) : page === "request" ? request(e.key) : false;
    if (done) e.preventDefault();
  });
  document.addEventListener("DOMContentLoaded", function () {
    if (document.body.dataset.page !== "request") return;
    var h = location.hash;
    if (h === "#edit") request("e");
    if (h === "#reject") request("r");
    if (h === "#approve") { var b = document.getElementById("approve-btn"); if (b) b.focus(); }
    if (h === "#claim") { var c = document.getElementById("claim-btn"); if (c) c.focus(); }
  });
})();
