/// The script `nbrun serve` adds to its pages (and only to them): a
/// WebSocket to the server; a reload, keeping the scroll position, when a
/// newer site is built; a line at the bottom while a build runs, with the
/// running cell's progress; the build's errors and cell failures over the
/// page, with file:line:column and the line under a caret; and reconnecting
/// when the server restarts.
enum LiveScript {
    static let path = "_nbrun/live.js"
    static let tag = "<script src=\"/_nbrun/live.js\" defer></script>\n"

    static let source = #"""
    "use strict";
    (function () {
      const key = "nbrun-serve-scroll:" + location.pathname;
      const saved = sessionStorage.getItem(key);
      if (saved !== null) {
        sessionStorage.removeItem(key);
        window.addEventListener("load", () => window.scrollTo(0, Number(saved)));
      }
      let generation = null, server = null;
      let delay = 250;

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

      let socket = null, statusText = "";

      // What this page shows, told to the server: `nbrun serve` lists it at
      // /_nbrun/browsers, which is how its tests see a real browser's page.
      function report() {
        if (!socket || socket.readyState !== 1) return;
        const overlay = document.getElementById("nbrun-serve-overlay");
        const main = document.querySelector("main") || document.body;
        socket.send(JSON.stringify({
          type: "shown", page: location.pathname, server: server, generation: generation, status: statusText,
          errors: overlay && !overlay.hidden ? overlay.querySelectorAll(".nbrun-serve-problem").length : 0,
          text: main.innerText.slice(0, 200000)
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
          "position:fixed;inset:0;z-index:10001;overflow:auto;padding:2em;background:rgba(17,24,39,.94);color:#f9fafb;" +
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
            pre.setAttribute("style", "margin:.3em 0 0 1.5em;color:#d1d5db");
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

      function connect() {
        socket = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/_nbrun/live");
        socket.addEventListener("open", () => { delay = 250; });
        socket.addEventListener("message", (event) => {
          const m = JSON.parse(event.data);
          if (m.type === "building") status("nbrun: " + m.text + " …");
          else if (m.type === "progress") status("nbrun: " + m.text);
          else if (m.type === "site") {
            status("");
            if (generation !== null && (m.server !== server || m.generation > generation)) {
              sessionStorage.setItem(key, String(window.scrollY));
              location.reload();
              return;
            }
            generation = m.generation;
            server = m.server;
            document.documentElement.dataset.nbrunGeneration = String(generation);
            problems(m.problems || []);
            report();
          }
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
