/*
 * Accessibility repairs to Material's markup that templates cannot reach without copying
 * the theme's partials (tests/test_a11y.py runs axe-core on every page type):
 *
 * - aria-dialog-name: the search dialog (role="dialog") gets the search box's name.
 * - landmark-unique: navigation landmarks with no name get one, so a screen reader's list
 *   of landmarks tells them apart (a section's sub-menu: its title; the tags: "Tags").
 * - scrollable-region-focusable: a table or mock-up wider than the screen scrolls
 *   sideways; it becomes focusable so keyboard users can scroll it too.
 *
 * Words come from the page (Material's own labels, translated with the theme language)
 * or from the data-ctk-label-* attributes overrides/main.html puts on <body>.
 */
(function () {
  "use strict";

  function label(name, fallback) {
    return document.body.getAttribute("data-ctk-label-" + name) || fallback;
  }

  function nameOf(el) {
    var byId = el.getAttribute("aria-labelledby");
    if (byId) {
      var text = byId.split(" ").map(function (id) {
        var ref = document.getElementById(id);
        return ref ? ref.textContent.trim() : "";
      }).join(" ").trim();
      if (text) return text;
    }
    return (el.getAttribute("aria-label") || "").trim();
  }

  function nameDialog() {
    var dialog = document.querySelector(".md-search[role='dialog']");
    var input = document.querySelector(".md-search__input");
    if (dialog && !dialog.getAttribute("aria-label")) {
      dialog.setAttribute("aria-label", (input && input.getAttribute("aria-label")) ||
        label("search", "Search"));
    }
  }

  function nameLandmarks() {
    var navs = document.querySelectorAll("nav");
    for (var i = 0; i < navs.length; i++) {
      var nav = navs[i];
      if (nameOf(nav)) continue;
      var title = nav.querySelector(":scope > .md-nav__title");
      var text = title ? title.textContent.trim() : "";
      if (!text && nav.classList.contains("md-tags")) text = label("tags", "Tags");
      if (text) {
        nav.removeAttribute("aria-labelledby");
        nav.setAttribute("aria-label", text);
      }
    }
  }

  var SCROLLERS = ".md-typeset__scrollwrap, .md-typeset .ctk-mockup--table";

  function focusScrollers() {
    var els = document.querySelectorAll(SCROLLERS);
    for (var i = 0; i < els.length; i++) {
      var el = els[i];
      var scrolls = el.scrollWidth > el.clientWidth + 1;
      if (scrolls && !el.hasAttribute("tabindex")) {
        el.setAttribute("tabindex", "0");
        el.setAttribute("data-ctk-scroll-focus", "");
        if (!el.getAttribute("role")) el.setAttribute("role", "region");
        if (!nameOf(el)) {
          var caption = el.querySelector("caption, figcaption, table");
          var text = caption && caption.tagName !== "TABLE" ? caption.textContent.trim() : "";
          el.setAttribute("aria-label", text || label("table", "Table"));
        }
      } else if (!scrolls && el.hasAttribute("data-ctk-scroll-focus")) {
        el.removeAttribute("tabindex");
        el.removeAttribute("data-ctk-scroll-focus");
      }
    }
  }

  function run() {
    nameDialog();
    nameLandmarks();
    focusScrollers();
  }

  var timer;
  window.addEventListener("resize", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(focusScrollers, 200);
  });

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(run);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", run);
  } else {
    run();
  }
})();
