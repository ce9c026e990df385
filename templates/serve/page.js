// congvan serve: re-render the checks, the lagging table and the preview as fields change;
// reload the page when the letter or its data changes; upload as soon as a file is chosen.
// Without JavaScript the buttons do the same with full page loads.
(function () {
  var form = document.getElementById("form");
  var results = document.getElementById("results");
  var timer = null;
  var serial = 0;
  function query() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (typeof value === "string") params.append(key, value);
    });
    return params.toString();
  }
  function refresh() {
    var mine = ++serial;
    var q = query();
    document.body.classList.add("busy");
    fetch("/view?" + q, { credentials: "same-origin" })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        if (mine !== serial) return;
        results.innerHTML = html;
        history.replaceState(null, "", "/?" + q);
        document.body.classList.remove("busy");
      })
      .catch(function () { document.body.classList.remove("busy"); });
  }
  form.addEventListener("input", function (e) {
    if (e.target.type === "file" || e.target.hasAttribute("data-reload")) return;
    clearTimeout(timer);
    timer = setTimeout(refresh, 120);
  });
  form.addEventListener("change", function (e) {
    if (e.target.type === "file") {
      if (e.target.files.length) form.submit();
      return;
    }
    if (e.target.hasAttribute("data-reload")) {
      var params = new URLSearchParams(query());
      if (e.target.id === "spec") {
        // Another letter: its own batch choice, unit and params.
        ["each", "unit"].forEach(function (k) { params.delete(k); });
        Array.from(params.keys()).forEach(function (k) {
          if (k.indexOf("param.") === 0) params.delete(k);
        });
      }
      window.location = "/?" + params.toString();
      return;
    }
    clearTimeout(timer);
    refresh();
  });
})();
