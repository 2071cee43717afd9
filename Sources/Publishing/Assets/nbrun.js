// nbrun site script: theme toggle, chapter menu, copy buttons, search, and
// folds opened for printing. Plain script, no modules, so that pages work
// when opened from disk (file://).
(function () {
  "use strict";
  var root = document.documentElement;
  var dark = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  // Theme: follows the system until the reader picks one; the choice is remembered.
  function currentTheme() {
    if (root.dataset.theme) return root.dataset.theme;
    return dark && dark.matches ? "dark" : "light";
  }
  var toggle = document.querySelector(".theme-toggle");
  function label() {
    if (!toggle) return;
    var text = currentTheme() === "dark" ? "Switch to the light theme" : "Switch to the dark theme";
    toggle.setAttribute("aria-label", text);
    toggle.title = text;
  }
  if (toggle) {
    label();
    toggle.addEventListener("click", function () {
      var next = currentTheme() === "dark" ? "light" : "dark";
      root.dataset.theme = next;
      try { localStorage.setItem("nbrun-theme", next); } catch (e) { /* private mode: not remembered */ }
      label();
    });
    if (dark && dark.addEventListener) dark.addEventListener("change", label);
  }

  // The chapter list on narrow screens: a menu that closes with Escape, a
  // click outside it, or a click on one of its links.
  var menu = document.querySelector(".menu-toggle");
  var sidebar = document.getElementById("sidebar");
  function setMenu(open, focusBack) {
    sidebar.classList.toggle("open", open);
    menu.setAttribute("aria-expanded", open ? "true" : "false");
    menu.setAttribute("aria-label", open ? "Hide the chapters" : "Show the chapters");
    if (open) {
      var first = sidebar.querySelector('a[aria-current="page"]') || sidebar.querySelector("a");
      if (first) first.focus();
    } else if (focusBack) {
      menu.focus();
    }
  }
  if (menu && sidebar) {
    menu.addEventListener("click", function () { setMenu(!sidebar.classList.contains("open"), false); });
    sidebar.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape" && sidebar.classList.contains("open")) { ev.preventDefault(); setMenu(false, true); }
    });
    sidebar.addEventListener("click", function (ev) {
      if (ev.target.closest && ev.target.closest("a")) setMenu(false, false);
    });
    document.addEventListener("click", function (ev) {
      if (sidebar.classList.contains("open") && !sidebar.contains(ev.target) && !menu.contains(ev.target)) setMenu(false, false);
    });
  }

  // Copy buttons on code.
  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok;
  }
  document.querySelectorAll("button.copy").forEach(function (button) {
    button.addEventListener("click", function () {
      var code = button.parentElement.querySelector("pre");
      if (!code) return;
      var text = code.innerText.replace(/\n$/, "");
      var done = function (ok) {
        button.textContent = ok ? "Copied" : "Select and copy";
        setTimeout(function () { button.textContent = "Copy"; }, 1500);
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(fallbackCopy(text)); });
      } else {
        done(fallbackCopy(text));
      }
    });
  });

  // Printing: folded code, outputs, dropdowns and solutions are printed open,
  // and closed again afterwards.
  var openedForPrint = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (d) { d.open = true; openedForPrint.push(d); });
  });
  window.addEventListener("afterprint", function () {
    openedForPrint.forEach(function (d) { d.open = false; });
    openedForPrint = [];
  });

  // Figures open at their full size in a dialog, for reading small text and
  // for narrow screens: a click, Enter or Space on a figure. Escape, the
  // close button or a click outside closes it. Explorers decorate each frame
  // they show.
  var figureImages = ".output.image img, figure img";
  function decorateFigures(scope) {
    scope.querySelectorAll(figureImages).forEach(function (img) {
      if (img.closest("a")) return;
      img.classList.add("zoomable");
      img.setAttribute("tabindex", "0");
      img.setAttribute("role", "button");
      img.setAttribute("aria-label", "Open the figure at full size" + (img.alt ? ": " + img.alt : ""));
    });
  }
  var viewer = null;
  function openFigure(img) {
    if (!viewer) {
      viewer = document.createElement("dialog");
      viewer.className = "figure-viewer";
      viewer.setAttribute("aria-label", "Figure at full size");
      viewer.innerHTML = '<button type="button" class="figure-viewer-close" aria-label="Close the figure">×</button><div class="figure-viewer-body"></div>';
      document.body.appendChild(viewer);
      viewer.querySelector(".figure-viewer-close").addEventListener("click", function () { viewer.close(); });
      viewer.addEventListener("click", function (ev) { if (ev.target === viewer) viewer.close(); });
    }
    var copy = img.cloneNode(false);
    ["loading", "tabindex", "role", "aria-label", "class"].forEach(function (a) { copy.removeAttribute(a); });
    var body = viewer.querySelector(".figure-viewer-body");
    body.replaceChildren(copy);
    viewer.showModal();
  }
  document.addEventListener("click", function (ev) {
    var img = ev.target.closest && ev.target.closest("img.zoomable");
    if (img) openFigure(img);
  });
  document.addEventListener("keydown", function (ev) {
    if ((ev.key === "Enter" || ev.key === " ") && ev.target.matches && ev.target.matches("img.zoomable")) {
      ev.preventDefault();
      openFigure(ev.target);
    }
  });
  decorateFigures(document);

  // Explorers: a control per parameter switches the figure, the printed
  // values and the caption's glued numbers to those of the combination
  // chosen. Every frame is in the page (a <template>): nothing is fetched.
  // Print shows the default combination.
  var explorers = [];
  document.querySelectorAll("figure.explorer").forEach(function (fig) {
    var indexScript = fig.querySelector("script.explorer-index");
    var controls = fig.querySelector(".explorer-controls");
    var frame = fig.querySelector(".explorer-frame");
    if (!indexScript || !controls || !frame) return;
    var index = JSON.parse(indexScript.textContent).frames;
    var templates = fig.querySelectorAll("template[data-frame]");
    var inputs = Array.prototype.slice.call(controls.querySelectorAll("input[data-param], select[data-param]"));
    var defaults = inputs.map(function (i) { return i.value; });
    function valueOf(i) { return i.dataset.values.split(" ")[Number(i.value)]; }
    function show(fromUser) {
      var key = inputs.map(function (i) { return i.dataset.param + "=" + valueOf(i); }).join(",");
      // The address names the combination shown: #figure-id:name=value,...
      if (fromUser === true && fig.id && history.replaceState) history.replaceState(null, "", "#" + fig.id + ":" + key);
      inputs.forEach(function (i) {
        var v = valueOf(i);
        if (i.type === "range") i.setAttribute("aria-valuetext", v);
        var out = i.parentElement.querySelector("output");
        if (out) out.textContent = v;
      });
      var n = index[key];
      if (n === undefined || !templates[n]) return;
      var content = templates[n].content;
      var body = content.querySelector(".explorer-out"), caption = content.querySelector(".explorer-caption figcaption");
      frame.replaceChildren.apply(frame, Array.prototype.map.call(body.childNodes, function (c) { return c.cloneNode(true); }));
      decorateFigures(frame);
      var figcaption = fig.querySelector(":scope > figcaption");
      if (caption && figcaption) figcaption.innerHTML = caption.innerHTML;
      fig.dataset.shown = key;
    }
    inputs.forEach(function (i) {
      i.addEventListener("input", function () { show(true); });
      i.addEventListener("change", function () { show(true); });
    });
    // A link to a combination: #figure-id:name=value,name=value.
    var hash = decodeURIComponent(location.hash.slice(1));
    if (fig.id && hash.indexOf(fig.id + ":") === 0) {
      hash.slice(fig.id.length + 1).split(",").forEach(function (pair) {
        var kv = pair.split("="), input = inputs.filter(function (i) { return i.dataset.param === kv[0]; })[0];
        if (!input) return;
        var k = input.dataset.values.split(" ").indexOf(kv[1]);
        if (k >= 0) input.value = String(k);
      });
      setTimeout(function () { fig.scrollIntoView(); }, 0);
    }
    var timer = null;
    fig.querySelectorAll(".explorer-play").forEach(function (button) {
      var slider = controls.querySelector('input[data-param="' + button.dataset.param + '"]');
      if (!slider) return;
      function stop() { clearInterval(timer); timer = null; button.textContent = "Play"; }
      button.addEventListener("click", function () {
        if (timer) { stop(); return; }
        if (Number(slider.value) >= Number(slider.max)) slider.value = "0";
        button.textContent = "Pause";
        show();
        timer = setInterval(function () {
          if (Number(slider.value) >= Number(slider.max)) { stop(); return; }
          slider.value = String(Number(slider.value) + 1);
          show();
        }, 700);
      });
    });
    controls.hidden = false;
    show();
    explorers.push({ reset: function () {
      var saved = inputs.map(function (i) { return i.value; });
      inputs.forEach(function (i, k) { i.value = defaults[k]; });
      show();
      return function () { inputs.forEach(function (i, k) { i.value = saved[k]; }); show(); };
    } });
  });
  var restoreExplorers = [];
  window.addEventListener("beforeprint", function () {
    restoreExplorers = explorers.map(function (e) { return e.reset(); });
  });
  window.addEventListener("afterprint", function () {
    restoreExplorers.forEach(function (r) { r(); });
    restoreExplorers = [];
  });

  // Short questions in exercises: a number within a tolerance, or a lettered choice.
  document.querySelectorAll(".question").forEach(function (q) {
    var button = q.querySelector(".check-answer");
    var verdict = q.querySelector(".verdict");
    if (!button || !verdict) return;
    button.addEventListener("click", function () {
      var answer = (q.dataset.answer || "").trim().toLowerCase();
      var given = null;
      var picked = q.querySelector("input[type=radio]:checked");
      var field = q.querySelector("input[type=text]");
      if (picked) given = picked.value;
      else if (field) given = field.value.trim().toLowerCase();
      if (!given) { verdict.textContent = "Give an answer first."; verdict.className = "verdict"; return; }
      var right;
      var a = parseFloat(answer), g = parseFloat(given.replace(",", "."));
      if (!isNaN(a) && !isNaN(g) && /^[-+0-9.,eE ]+$/.test(given)) {
        right = Math.abs(g - a) <= (parseFloat(q.dataset.tolerance) || 0) + 1e-12;
      } else {
        right = given === answer;
      }
      verdict.textContent = right ? "Correct." : "Not quite; try again.";
      verdict.className = "verdict " + (right ? "right" : "wrong");
    });
  });

  // Search: the index is a script (window.nbrunSearch), loaded on first use,
  // which works from file:// where fetch() does not. Entries are sections:
  // {u: url, p: page title, t: section title, x: text}.
  var input = document.getElementById("search-input");
  var results = document.getElementById("search-results");
  if (!input || !results) return;
  var indexURL = (function () {
    var own = document.querySelector('script[src$="nbrun.js"]');
    return own ? own.getAttribute("src").replace(/nbrun\.js$/, "search-index.js") : "_static/search-index.js";
  })();
  var waiting = [];
  var state = "idle";   // idle, loading, ready, failed
  function load(then) {
    if (window.nbrunSearch) { state = "ready"; then(); return; }
    if (state === "failed") { then(); return; }
    waiting.push(then);
    if (state === "loading") return;
    state = "loading";
    var s = document.createElement("script");
    s.src = indexURL;
    s.onload = function () { state = window.nbrunSearch ? "ready" : "failed"; waiting.splice(0).forEach(function (f) { f(); }); };
    s.onerror = function () { state = "failed"; waiting.splice(0).forEach(function (f) { f(); }); };
    document.head.appendChild(s);
  }

  input.setAttribute("aria-controls", "search-results");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-autocomplete", "list");
  results.setAttribute("role", "region");
  results.setAttribute("aria-label", "Search results");

  // British and American spellings find each other: both sides are folded
  // (z to s, letter for letter, so positions in the text hold), and a few
  // words spelt differently map to one form.
  var spellings = { colour: "color", behaviour: "behavior", neighbour: "neighbor", favour: "favor", labour: "labor",
                    centre: "center", modelling: "modeling", modelled: "modeled", labelled: "labeled",
                    labelling: "labeling", grey: "gray", analogue: "analog", catalogue: "catalog" };
  function fold(s) {
    return s.toLowerCase().replace(/z/g, "s").replace(/\p{L}+/gu, function (w) {
      var american = spellings[w] || spellings[w.replace(/s$/, "")];
      return american ? american.replace(/z/g, "s") + (spellings[w] ? "" : "s") : w;
    });
  }
  function words(q) {
    return fold(q).split(/[^\p{L}\p{N}]+/u).filter(function (w) { return w.length > 0; });
  }
  function escapeHTML(s) {
    return s.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function escapeRegExp(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }
  function highlight(text, terms) {
    var html = escapeHTML(text);
    var usable = terms.filter(function (t) { return t.length >= 2; }).map(function (t) { return escapeRegExp(escapeHTML(t)); });
    if (usable.length === 0) return html;
    // Each term in either spelling: s or z, and the British forms of the words mapped.
    var forms = [];
    usable.forEach(function (t) {
      forms.push(t.replace(/s/g, "[sz]"));
      Object.keys(spellings).forEach(function (b) { if (spellings[b].replace(/z/g, "s") === t) forms.push(b); });
    });
    return html.replace(new RegExp("(" + forms.join("|") + ")", "gi"), "<mark>$1</mark>");
  }
  function snippet(text, terms) {
    var lower = text.toLowerCase().replace(/z/g, "s");
    var at = -1;
    for (var i = 0; i < terms.length && at < 0; i++) at = lower.indexOf(terms[i]);
    var start = Math.max(0, at - 40);
    if (start > 0) { var space = text.indexOf(" ", start); if (space > 0 && space < at) start = space + 1; }
    var s = (start > 0 ? "… " : "") + text.slice(start, start + 160).replace(/\s+/g, " ") + (start + 160 < text.length ? " …" : "");
    return highlight(s, terms);
  }
  function links() { return Array.prototype.slice.call(results.querySelectorAll("a")); }
  function select(index) {
    var all = links();
    all.forEach(function (a, i) { a.classList.toggle("active", i === index); });
    if (index >= 0 && all[index]) all[index].scrollIntoView({ block: "nearest" });
  }
  function selected() { return links().findIndex(function (a) { return a.classList.contains("active"); }); }
  function show(open) {
    results.hidden = !open;
    input.setAttribute("aria-expanded", open ? "true" : "false");
  }
  function search() {
    var terms = words(input.value);
    if (terms.length === 0) { show(false); results.innerHTML = ""; return; }
    if (!window.nbrunSearch) {
      results.innerHTML = '<p class="search-empty">' + (state === "failed"
        ? "The search index (_static/search-index.js) could not be loaded."
        : "Loading the search index…") + "</p>";
      show(true);
      return;
    }
    var scored = [];
    window.nbrunSearch.forEach(function (e) {
      if (e.ft === undefined) { e.ft = fold(e.t); e.fx = fold(e.x); e.fp = fold(e.p); }
      var title = e.ft, text = e.fx, page = e.fp, score = 0;
      for (var i = 0; i < terms.length; i++) {
        var t = terms[i], inTitle = title.indexOf(t) >= 0, inText = text.indexOf(t) >= 0, inPage = page.indexOf(t) >= 0;
        if (!inTitle && !inText && !inPage) return;
        score += (inTitle ? 10 : 0) + (inPage ? 2 : 0) + (inText ? 1 : 0);
        if (new RegExp("(^|[^\\p{L}\\p{N}])" + escapeRegExp(t) + "($|[^\\p{L}\\p{N}])", "u").test(title + " " + text)) score += 1;
        // More mentions rank a little higher, up to five.
        for (var n = 0, at = text.indexOf(t); at >= 0 && n < 5; at = text.indexOf(t, at + t.length)) n++;
        score += 0.2 * n;
      }
      scored.push({ e: e, score: score });
    });
    scored.sort(function (a, b) { return b.score - a.score; });
    var top = scored.slice(0, 12);
    if (top.length === 0) {
      results.innerHTML = '<p class="search-empty" role="status">No section mentions “' + escapeHTML(input.value.trim()) + "”.</p>";
    } else {
      var count = scored.length > top.length ? "The first " + top.length + " of " + scored.length + " sections"
        : scored.length === 1 ? "1 section" : scored.length + " sections";
      results.innerHTML = '<p class="search-count" role="status">' + count + "</p><ul>" + top.map(function (r) {
        var page = r.e.p && r.e.p !== r.e.t ? ' <span class="search-page">' + escapeHTML(r.e.p) + "</span>" : "";
        return '<li><a href="' + escapeHTML(r.e.u) + '"><span class="search-title">' + highlight(r.e.t, terms) +
          "</span>" + page + '<span class="search-snippet">' + snippet(r.e.x, terms) + "</span></a></li>";
      }).join("") + "</ul>";
    }
    show(true);
  }
  input.addEventListener("focus", function () {
    load(function () {});
    if (input.value.trim() && results.innerHTML) show(true);
  });
  input.addEventListener("input", function () { search(); load(search); });
  input.addEventListener("keydown", function (ev) {
    var all = links(), i = selected();
    if (ev.key === "ArrowDown" && all.length) { ev.preventDefault(); select(Math.min(i + 1, all.length - 1)); }
    else if (ev.key === "ArrowUp" && all.length) { ev.preventDefault(); select(Math.max(i - 1, 0)); }
    else if (ev.key === "Escape") {
      if (!results.hidden) { ev.preventDefault(); show(false); } else if (input.value) { input.value = ""; }
    } else if (ev.key === "Enter") {
      var a = all[i >= 0 ? i : 0];
      if (a) { ev.preventDefault(); window.location.href = a.href; }
    }
  });
  results.addEventListener("keydown", function (ev) {
    var all = links(), i = all.indexOf(document.activeElement);
    if (ev.key === "Escape") { ev.preventDefault(); show(false); input.focus(); }
    else if (ev.key === "ArrowDown" && i >= 0) { ev.preventDefault(); if (all[i + 1]) all[i + 1].focus(); }
    else if (ev.key === "ArrowUp" && i >= 0) { ev.preventDefault(); (i > 0 ? all[i - 1] : input).focus(); }
  });
  // Close when focus or a click leaves the search box and its results.
  var box = input.parentElement;
  box.addEventListener("focusout", function (ev) {
    if (!ev.relatedTarget || !box.contains(ev.relatedTarget)) show(false);
  });
  document.addEventListener("click", function (ev) {
    if (!box.contains(ev.target)) show(false);
  });
  // "/" focuses the search box, as on many documentation sites.
  document.addEventListener("keydown", function (ev) {
    var active = document.activeElement;
    var typing = active && (/^(input|textarea|select)$/i.test(active.tagName) || active.isContentEditable);
    if (ev.key === "/" && !typing && !ev.ctrlKey && !ev.metaKey && !ev.altKey) { ev.preventDefault(); input.focus(); input.select(); }
  });
})();
