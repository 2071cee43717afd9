/// The script `nbrun serve` adds to its pages (and only to them): a
/// WebSocket to the server; the page's new version shown in place when a
/// newer site changes it (only the blocks that changed are replaced, so the
/// scroll position stays; a reload, keeping the scroll position, where that
/// cannot be done); while the page's chapter runs, its outputs marked stale
/// and the running cell's progress under it; the build's errors and cell
/// failures over the page, with file:line:column and the line under a caret;
/// and reconnecting when the server restarts.
enum LiveScript {
    static let path = "_nbrun/live.js"
    static let tag = "<script src=\"/_nbrun/live.js\" defer></script>\n"

    static let source = #"""
    "use strict";
    (function () {
      const started = Date.now();
      const key = "nbrun-serve-scroll:" + location.pathname;
      const saved = sessionStorage.getItem(key);
      if (saved !== null) {
        sessionStorage.removeItem(key);
        window.addEventListener("load", () => window.scrollTo(0, Number(saved)));
      }
      const page = decodeURIComponent(location.pathname.split("/").pop() || "index.html");
      let generation = null, server = null, socket = null, statusText = "", shownAt = started;
      let delay = 250, running = false;

      const style = document.createElement("style");
      style.textContent =
        ".nbrun-stale{opacity:.45;filter:grayscale(1);position:relative}" +
        ".nbrun-stale::before{content:'stale: the chapter is running again';display:block;font:12px/1.6 ui-monospace,monospace;color:#b45309}" +
        ".nbrun-serve-running{font:13px/1.6 ui-monospace,monospace;color:#1d4ed8;padding:.2em .6em;border-left:3px solid #1d4ed8;margin:.3em 0}" +
        "@media (prefers-color-scheme: dark){.nbrun-serve-running{color:#93c5fd;border-color:#93c5fd}.nbrun-stale::before{color:#fbbf24}}";
      document.head.appendChild(style);

      function box(id, css) {
        let el = document.getElementById(id);
        if (!el) {
          el = document.createElement("div");
          el.id = id;
          el.setAttribute("style", css);
          document.body.appendChild(el);
        }
        return el;
      }

      // What this page shows, told to the server: `nbrun serve` lists it at
      // /_nbrun/browsers, which is how its tests and benchmark see a real
      // browser's page. `shownAt` is when the page last changed (ms since 1970).
      function report() {
        if (!socket || socket.readyState !== 1) return;
        const overlay = document.getElementById("nbrun-serve-overlay");
        const main = document.querySelector("main") || document.body;
        socket.send(JSON.stringify({
          type: "shown", page: location.pathname, server: server, generation: generation, status: statusText,
          errors: overlay && !overlay.hidden ? overlay.querySelectorAll(".nbrun-serve-problem").length : 0,
          stale: document.querySelectorAll(".nbrun-stale").length,
          runningCells: document.querySelectorAll(".nbrun-serve-running").length,
          shownAt: shownAt, text: main.innerText.slice(0, 200000)
        }));
      }

      function status(text) {
        statusText = text || "";
        const el = box("nbrun-serve-status",
          "position:fixed;left:0;right:0;bottom:0;z-index:10000;padding:.35em .8em;font:13px/1.4 ui-monospace,monospace;" +
          "background:#1f2937;color:#f9fafb;opacity:.92");
        el.hidden = !text;
        el.textContent = text || "";
        report();
      }

      function problems(list) {
        const errors = list.filter((p) => p.severity === "error");
        const el = box("nbrun-serve-overlay",
          "position:fixed;inset:0;z-index:10001;overflow:auto;padding:2em;background:rgba(17,24,39,.97);color:#f9fafb;" +
          "font:14px/1.5 ui-monospace,monospace");
        el.hidden = errors.length === 0;
        el.setAttribute("role", "alert");
        el.textContent = "";
        if (errors.length === 0) return;
        const h = document.createElement("h2");
        h.textContent = errors.length + (errors.length === 1 ? " error" : " errors") + " in the last build (the page shows the last good one)";
        h.setAttribute("style", "margin:0 0 1em;font-size:16px;color:#fca5a5");
        el.appendChild(h);
        for (const p of errors) {
          const item = document.createElement("div");
          item.className = "nbrun-serve-problem";
          item.setAttribute("style", "margin:0 0 1.2em");
          const where = document.createElement("div");
          where.textContent = p.location + ": " + p.severity + ": " + p.message + " [" + p.code + "]";
          item.appendChild(where);
          if (p.excerpt) {
            const pre = document.createElement("pre");
            pre.setAttribute("style", "margin:.3em 0 0 1.5em;color:#d1d5db;white-space:pre-wrap");
            pre.textContent = p.excerpt;
            item.appendChild(pre);
          }
          el.appendChild(item);
        }
        const close = document.createElement("button");
        close.textContent = "Hide";
        close.addEventListener("click", () => { el.hidden = true; });
        el.appendChild(close);
      }

      // While the page's chapter runs, its outputs are the previous ones.
      function markRunning(on) {
        running = on;
        document.querySelectorAll("main .cell-output").forEach((el) => el.classList.toggle("nbrun-stale", on));
        if (!on) document.querySelectorAll(".nbrun-serve-running").forEach((el) => el.remove());
      }

      // The running cell's line under the cell (`index` counts the Swift cells
      // the page shows).
      function cellProgress(index, text) {
        document.querySelectorAll(".nbrun-serve-running").forEach((el) => el.remove());
        const cell = document.querySelectorAll('main div.cell[data-language="swift"]')[index];
        if (!cell) return;
        const line = document.createElement("div");
        line.className = "nbrun-serve-running";
        line.setAttribute("role", "status");
        line.textContent = text ? "running: " + text : "running …";
        cell.appendChild(line);
      }

      // Replaces what changed between the page's and `fresh`'s children of
      // `parent`, keeping equal nodes at both ends (and the scroll position).
      // False when a new node holds a control the site's script binds.
      function patch(parent, fresh) {
        const a = Array.from(parent.children), b = Array.from(fresh.children);
        let i = 0;
        while (i < a.length && i < b.length && a[i].isEqualNode(b[i])) i++;
        let j = 0;
        while (j < a.length - i && j < b.length - i && a[a.length - 1 - j].isEqualNode(b[b.length - 1 - j])) j++;
        const added = b.slice(i, b.length - j);
        if (added.some((n) => n.matches("button, .question") || n.querySelector("button, .question"))) return false;
        const before = a[a.length - j] || null;
        a.slice(i, a.length - j).forEach((n) => n.remove());
        for (const n of added) parent.insertBefore(document.importNode(n, true), before);
        return true;
      }

      // Shows the page's new version in place; reloads when that cannot be done.
      async function refresh() {
        try {
          const response = await fetch(location.pathname, { cache: "no-store" });
          const doc = new DOMParser().parseFromString(await response.text(), "text/html");
          const oldArticle = document.querySelector("main article"), newArticle = doc.querySelector("main article");
          const sameFrame = oldArticle && newArticle &&
            Array.from(document.querySelectorAll("link[rel=stylesheet], script[src]")).map((e) => e.outerHTML).join() ===
            Array.from(doc.querySelectorAll("link[rel=stylesheet], script[src]")).map((e) => e.outerHTML).join();
          if (!sameFrame || !patch(oldArticle, newArticle)) throw new Error("reload");
          document.title = doc.title;
          for (const selector of ["#sidebar", "nav.page-toc", "nav.prev-next"]) {
            const mine = document.querySelector(selector), theirs = doc.querySelector(selector);
            if (mine && theirs && mine.innerHTML !== theirs.innerHTML) mine.innerHTML = theirs.innerHTML;
          }
          shownAt = Date.now();
          return true;
        } catch (e) {
          sessionStorage.setItem(key, String(window.scrollY));
          location.reload();
          return false;
        }
      }

      async function site(m) {
        if (generation !== null && m.server !== server) {
          sessionStorage.setItem(key, String(window.scrollY));
          location.reload();
          return;
        }
        const newer = generation !== null && m.generation > generation;
        generation = Math.max(generation || 0, m.generation);
        server = m.server;
        document.documentElement.dataset.nbrunGeneration = String(generation);
        if (newer && (!m.changed || m.changed.includes(page))) {
          if (!(await refresh())) return;
        }
        const runs = (m.running || []).includes(page);
        markRunning(runs);
        status(runs ? "nbrun: running this chapter's cells; the outputs shown are the previous ones …" : "");
        problems(m.problems || []);
        report();
      }

      // Messages are handled one at a time, in order.
      let queue = Promise.resolve();
      function connect() {
        socket = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/_nbrun/live");
        socket.addEventListener("open", () => { delay = 250; });
        socket.addEventListener("message", (event) => {
          const m = JSON.parse(event.data);
          queue = queue.then(async () => {
            if (m.type === "building") status("nbrun: " + m.text + " …");
            else if (m.type === "progress") {
              status("nbrun: " + m.text);
              if (m.page === page && m.cell !== undefined) cellProgress(Number(m.cell), m.line);
            } else if (m.type === "site") await site(m);
          });
        });
        socket.addEventListener("close", () => {
          status("nbrun: the server is gone; reconnecting …");
          setTimeout(connect, delay);
          delay = Math.min(delay * 2, 4000);
        });
      }
      connect();
    })();
    """#
}
