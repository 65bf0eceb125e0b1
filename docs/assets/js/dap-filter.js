/*
 * Filter for the Data Analysis Plan page (generator/templates/dap.md.j2).
 *
 * Progressive enhancement: the page lists every question and ships the filter form
 * `hidden`; this script shows it and hides the questions that do not match. No network,
 * no library: it runs from file:// in the offline bundle too. With Material's instant
 * navigation the page content is swapped without a reload, so it runs on every page
 * through Material's `document$` observable when there is one.
 *
 * The filter is kept in the address (?sector=wash&partner=wash-cluster) so a filtered
 * plan can be shared as a link.
 */
(function () {
  "use strict";

  var FIELDS = ["sector", "partner", "status", "sharing"];

  function matches(card, values) {
    for (var i = 0; i < FIELDS.length; i++) {
      var name = FIELDS[i];
      var wanted = values[name];
      if (!wanted) continue;
      if (name === "partner") {
        var partners = (card.getAttribute("data-partners") || "").split(" ");
        if (partners.indexOf(wanted) < 0) return false;
      } else if (card.getAttribute("data-" + name) !== wanted) {
        return false;
      }
    }
    return true;
  }

  function readAddress(form) {
    var params;
    try {
      params = new URLSearchParams(window.location.search);
    } catch (e) {
      return;
    }
    FIELDS.forEach(function (name) {
      var select = form.elements[name];
      var value = params.get(name);
      if (!select || !value) return;
      // Only a value the form offers: anything else in the address is ignored.
      for (var i = 0; i < select.options.length; i++) {
        if (select.options[i].value === value) select.value = value;
      }
    });
  }

  function writeAddress(values) {
    try {
      var params = new URLSearchParams(window.location.search);
      FIELDS.forEach(function (name) {
        if (values[name]) params.set(name, values[name]);
        else params.delete(name);
      });
      var query = params.toString();
      var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
      window.history.replaceState(window.history.state, "", url);
    } catch (e) {
      // Some browsers refuse history changes on file:// pages: the filter still works.
    }
  }

  function setUp(root) {
    var form = root.querySelector("form[data-ctk-filter]");
    if (!form || form.getAttribute("data-ctk-ready")) return;
    form.setAttribute("data-ctk-ready", "1");

    var cards = Array.prototype.slice.call(root.querySelectorAll(".ctk-dap-q"));
    var sections = Array.prototype.slice.call(root.querySelectorAll(".ctk-dap-sector"));
    var empty = root.querySelector(".ctk-filter__empty");
    var count = form.querySelector(".ctk-filter__count");
    var expand = form.querySelector("[data-ctk-expand]");

    function values() {
      var out = {};
      FIELDS.forEach(function (name) {
        out[name] = form.elements[name] ? form.elements[name].value : "";
      });
      return out;
    }

    function apply(remember) {
      var current = values();
      var shown = 0;
      cards.forEach(function (card) {
        var show = matches(card, current);
        card.hidden = !show;
        if (show) shown++;
      });
      sections.forEach(function (section) {
        section.hidden = !section.querySelector(".ctk-dap-q:not([hidden])");
        // The table of contents lists the shown sectors only.
        var heading = section.querySelector("h3[id]");
        if (!heading) return;
        var id = window.CSS && CSS.escape ? CSS.escape(heading.id) : heading.id;
        var links = document.querySelectorAll('.md-nav--secondary a[href="#' + id + '"]');
        for (var i = 0; i < links.length; i++) links[i].parentNode.hidden = section.hidden;
      });
      if (empty) empty.hidden = shown > 0;
      if (count) {
        count.textContent = shown === cards.length
          ? "All " + cards.length + " questions"
          : shown + " of " + cards.length + " questions";
      }
      if (remember) writeAddress(current);
    }

    form.addEventListener("change", function () { apply(true); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("reset", function () {
      // The form's fields are reset after this event: filter once they are.
      window.setTimeout(function () { apply(true); }, 0);
    });
    if (expand) {
      expand.addEventListener("click", function () {
        var open = expand.getAttribute("aria-pressed") !== "true";
        cards.forEach(function (card) {
          if (card.hidden) return;
          var details = card.querySelector("details");
          if (details) details.open = open;
        });
        expand.setAttribute("aria-pressed", open ? "true" : "false");
        expand.textContent = open ? "Close all details" : "Open all details";
      });
    }

    readAddress(form);
    form.hidden = false;
    apply(false);
  }

  function run() {
    setUp(document);
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(run);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", run);
  } else {
    run();
  }
})();
