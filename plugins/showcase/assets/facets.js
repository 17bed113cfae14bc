/* Facet filters for the home grid and the registry (progressive enhancement).
   The page lists every project without this script; the buttons and their
   counts come from the build. Here we only hide what does not match and keep
   the choice in the URL hash (#district=青溪区&year=2025) so it can be shared. */
(function () {
  "use strict";

  function parseHash() {
    var state = {};
    location.hash.replace(/^#/, "").split("&").forEach(function (part) {
      var i = part.indexOf("=");
      if (i > 0) {
        try {
          state[decodeURIComponent(part.slice(0, i))] = decodeURIComponent(part.slice(i + 1));
        } catch (e) { /* a hand-typed hash that is not valid percent-encoding */ }
      }
    });
    return state;
  }

  function setup(box) {
    if (box.getAttribute("data-sc-ready")) return;
    var target = document.getElementById(box.getAttribute("data-sc-target"));
    if (!target) return;
    box.setAttribute("data-sc-ready", "1");
    var items = target.querySelectorAll("[data-district]");
    var buttons = box.querySelectorAll("button[data-facet]");
    var live = box.querySelector("[data-sc-live]");
    var keys = {};
    buttons.forEach(function (b) { keys[b.getAttribute("data-facet")] = true; });
    var state = {};

    function matches(el) {
      for (var key in state) {
        var have = el.getAttribute("data-" + key) || "";
        if (key === "tags" ? have.split("|").indexOf(state[key]) < 0 : have !== state[key]) return false;
      }
      return true;
    }

    function apply(announce) {
      var shown = 0;
      items.forEach(function (el) {
        var ok = matches(el);
        el.hidden = !ok;
        if (ok) shown += 1;
      });
      buttons.forEach(function (b) {
        var key = b.getAttribute("data-facet");
        var value = b.getAttribute("data-value");
        var on = value === "" ? !(key in state) : state[key] === value;
        b.setAttribute("aria-pressed", on ? "true" : "false");
      });
      if (live && announce) live.textContent = "显示 " + shown + " 个项目";
    }

    function fromHash() {
      var wanted = parseHash();
      state = {};
      for (var key in wanted) if (keys[key]) state[key] = wanted[key];
      apply(Object.keys(state).length > 0);
    }

    function toHash() {
      var parts = [];
      for (var key in state) parts.push(encodeURIComponent(key) + "=" + encodeURIComponent(state[key]));
      var url = location.pathname + location.search + (parts.length ? "#" + parts.join("&") : "");
      history.replaceState(null, "", url);
    }

    buttons.forEach(function (b) {
      b.addEventListener("click", function () {
        var key = b.getAttribute("data-facet");
        var value = b.getAttribute("data-value");
        if (value === "" || state[key] === value) delete state[key];
        else state[key] = value;
        apply(true);
        toHash();
      });
    });
    window.addEventListener("hashchange", fromHash);
    box.classList.add("sc-facets--ready");
    fromHash();
  }

  function init() {
    document.querySelectorAll("[data-sc-facets]").forEach(setup);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init); // Material's instant navigation swaps pages without a reload
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
