// Headless Chromium driven over the DevTools protocol (a WebSocket; Node 20
// needs --experimental-websocket), shared by Benchmarks/preview-bench.mjs and
// scripts/preview-screenshots.mjs.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/// Starts Chromium on about:blank and attaches to its page. Returns `send`
/// (a command and its answer), `evaluate` (a script's value) and `close`.
export async function openChromium({ chromium = "/usr/bin/chromium", port = 9300 + (process.pid % 500), windowSize = "1280,900" } = {}) {
  const profile = mkdtempSync(join(tmpdir(), "nbrun-devtools-"));
  const browser = spawn(chromium, ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
    `--user-data-dir=${profile}`, `--remote-debugging-port=${port}`, `--window-size=${windowSize}`, "about:blank"], { stdio: "ignore" });
  const close = () => {
    browser.kill("SIGKILL");
    try { rmSync(profile, { recursive: true, force: true }); } catch {}
  };
  let target;
  for (let i = 0; i < 100 && !target; i++) {
    await sleep(100);
    try { target = (await (await fetch(`http://127.0.0.1:${port}/json`)).json()).find((t) => t.type === "page"); } catch {}
  }
  if (!target) { close(); throw new Error("Chromium did not start"); }
  const socket = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve) => socket.addEventListener("open", resolve));
  let nextId = 1;
  const pending = new Map();
  socket.addEventListener("message", (event) => {
    const m = JSON.parse(event.data);
    if (m.id && pending.has(m.id)) { pending.get(m.id)(m); pending.delete(m.id); }
  });
  const send = (method, params = {}) => {
    const id = nextId++;
    socket.send(JSON.stringify({ id, method, params }));
    return new Promise((resolve) => pending.set(id, resolve));
  };
  const evaluate = async (expression) => (await send("Runtime.evaluate", { expression, returnByValue: true })).result?.result?.value;
  return { send, evaluate, close };
}
