// nbrun site script: theme toggle, chapter menu, copy buttons, search.
// Plain script, no modules, so that pages work when opened from disk.
(function () {
  "use strict";
  var root = document.documentElement;

  // Theme: follows the system until the reader picks one; the choice is remembered.
  function currentTheme() {
    if (root.dataset.theme) return root.dataset.theme;
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }
  var toggle = document.querySelector(".theme-toggle");
  function label() {
    if (toggle) toggle.setAttribute("aria-label", currentTheme() === "dark" ? "Switch to the light theme" : "Switch to the dark theme");
  }
  if (toggle) {
    label();
    toggle.addEventListener("click", function () {
      var next = currentTheme() === "dark" ? "light" : "dark";
      root.dataset.theme = next;
      try { localStorage.setItem("nbrun-theme", next); } catch (e) {}
      label();
    });
  }

  // The chapter list on narrow screens.
  var menu = document.querySelector(".menu-toggle");
  var sidebar = document.getElementById("sidebar");
  if (menu && sidebar) {
    menu.addEventListener("click", function () {
      var open = sidebar.classList.toggle("open");
      menu.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  // Copy buttons on code.
  document.querySelectorAll("button.copy").forEach(function (button) {
    button.addEventListener("click", function () {
      var code = button.parentElement.querySelector("pre");
      if (!code) return;
      var text = code.innerText;
      var done = function () {
        button.textContent = "Copied";
        setTimeout(function () { button.textContent = "Copy"; }, 1500);
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done, function () { fallback(text); done(); });
      } else { fallback(text); done(); }
    });
  });
  function fallback(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } catch (e) {}
    document.body.removeChild(area);
  }

  // Search: the index is a script (window.nbrunSearch), loaded on first use,
  // which works from file:// where fetch() does not.
  var input = document.getElementById("search-input");
  var results = document.getElementById("search-results");
  if (!input || !results) return;
  var loading = false;
  function load(then) {
    if (window.nbrunSearch) { then(); return; }
    if (loading) return;
    loading = true;
    var s = document.createElement("script");
    s.src = "_static/search-index.js";
    s.onload = then;
    document.head.appendChild(s);
  }
  function words(q) {
    return q.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(function (w) { return w.length > 0; });
  }
  function escape(s) {
    return s.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function snippet(text, terms) {
    var lower = text.toLowerCase();
    var at = -1;
    for (var i = 0; i < terms.length && at < 0; i++) at = lower.indexOf(terms[i]);
    var start = Math.max(0, at - 40);
    var s = (start > 0 ? "… " : "") + text.slice(start, start + 160) + (start + 160 < text.length ? " …" : "");
    var html = escape(s);
    terms.forEach(function (t) {
      if (t.length < 2) return;
      html = html.replace(new RegExp("(" + t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + ")", "gi"), "<mark>$1</mark>");
    });
    return html;
  }
  function search() {
    var terms = words(input.value);
    if (terms.length === 0) { results.hidden = true; results.innerHTML = ""; return; }
    var scored = [];
    window.nbrunSearch.forEach(function (e) {
      var title = e.t.toLowerCase(), text = e.x.toLowerCase(), score = 0;
      for (var i = 0; i < terms.length; i++) {
        var t = terms[i], inTitle = title.indexOf(t) >= 0, inText = text.indexOf(t) >= 0;
        if (!inTitle && !inText) return;
        score += (inTitle ? 10 : 0) + (inText ? 1 : 0);
      }
      scored.push({ e: e, score: score });
    });
    scored.sort(function (a, b) { return b.score - a.score; });
    var top = scored.slice(0, 12);
    if (top.length === 0) {
      results.innerHTML = '<p class="search-empty">No section mentions “' + escape(input.value) + '”.</p>';
    } else {
      results.innerHTML = "<ul>" + top.map(function (r) {
        return '<li><a href="' + escape(r.e.u) + '"><span class="search-title">' + escape(r.e.t) +
          '</span> <span class="search-page">' + escape(r.e.p) + "</span><br><span class=\"search-snippet\">" +
          snippet(r.e.x, terms) + "</span></a></li>";
      }).join("") + "</ul>";
    }
    results.hidden = false;
  }
  input.addEventListener("focus", function () { load(function () {}); });
  input.addEventListener("input", function () { load(search); });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") { input.value = ""; results.hidden = true; }
    if (ev.key === "Enter") { var a = results.querySelector("a"); if (a) window.location.href = a.href; }
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "/" && document.activeElement !== input && !/input|textarea/i.test(document.activeElement.tagName)) {
      ev.preventDefault(); input.focus();
    }
  });
  document.addEventListener("click", function (ev) {
    if (!results.contains(ev.target) && ev.target !== input) results.hidden = true;
  });
})();
