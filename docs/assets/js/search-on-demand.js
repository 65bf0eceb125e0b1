/*
 * Fetch the search index when the reader opens search, not with every page.
 *
 * Material's bundle requests search/search_index.json (344 KB on the sample site, several
 * MB at 1,000 questions) as soon as a page loads, and Material's search plugin has no
 * setting to wait. On a poor connection that download competes with the page itself. This
 * script, loaded in <head> before the bundle (overrides/main.html), holds that one request
 * back until the search box gets focus or the search toggle is opened (click, tap, or the
 * keyboard shortcuts f, s and /, which focus the box), then sends it unchanged: Material
 * shows "Initializing search" meanwhile, as it does on any slow connection.
 *
 * Left alone: the offline bundle (file://), where Material loads the index inlined by the
 * offline plugin as a local script, not through XMLHttpRequest; and a page opened from a
 * search result (?h=...), whose highlighting needs the index at once.
 */
(function () {
  "use strict";

  if (window.location.protocol === "file:" || !window.XMLHttpRequest) return;

  var INDEX = /(^|\/)search\/search_index\.json([?#]|$)/;
  var released = false;
  var held = [];

  function release() {
    if (released) return;
    released = true;
    var pending = held;
    held = [];
    for (var i = 0; i < pending.length; i++) pending[i]();
  }

  var proto = window.XMLHttpRequest.prototype;
  var open = proto.open;
  var send = proto.send;
  proto.open = function (method, url) {
    this.ctkSearchIndex = INDEX.test(String(url));
    return open.apply(this, arguments);
  };
  proto.send = function () {
    if (this.ctkSearchIndex && !released) {
      var xhr = this;
      var args = arguments;
      held.push(function () { send.apply(xhr, args); });
      return undefined;
    }
    return send.apply(this, arguments);
  };

  if (/[?&]h=/.test(window.location.search)) release();

  function opensSearch(target) {
    return target && target.closest &&
      (target.closest(".md-search") || target.id === "__search" ||
       target.closest("label[for='__search']"));
  }
  document.addEventListener("focusin", function (e) {
    if (opensSearch(e.target)) release();
  }, true);
  document.addEventListener("change", function (e) {
    if (e.target && e.target.id === "__search") release();
  }, true);
  document.addEventListener("click", function (e) {
    if (opensSearch(e.target)) release();
  }, true);
})();
