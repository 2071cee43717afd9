import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Headless Chromium driven over the DevTools protocol through a pipe
/// (`--remote-debugging-pipe`: messages are JSON, each ended by a NUL, read
/// on descriptor 3 and written on 4), so tests can load a page, run script
/// in it and press keys, with no WebSocket client and nothing but Chromium.
final class HeadlessChromium {
    static var path: String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    private var pid: pid_t = 0
    private let toBrowser: Int32
    private let fromBrowser: Int32
    private var pending: [UInt8] = []
    private var nextID = 1
    private var session: String?
    let profile: URL

    init(_ executable: String) throws {
        profile = FileManager.default.temporaryDirectory.appendingPathComponent("nbrun-chromium-\(UUID().uuidString)")
        var input: [Int32] = [0, 0], output: [Int32] = [0, 0]
        guard pipe(&input) == 0, pipe(&output) == 0 else { throw Failure("no pipes") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, input[0], 3)
        posix_spawn_file_actions_adddup2(&actions, output[1], 4)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let arguments = [executable, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                         "--allow-file-access-from-files", "--user-data-dir=\(profile.path)", "--remote-debugging-pipe",
                         "--window-size=1280,900", "about:blank"]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for a in argv { free(a) } }
        guard posix_spawn(&pid, executable, &actions, nil, &argv, environ) == 0 else { throw Failure("cannot start \(executable)") }
        close(input[0]); close(output[1])
        toBrowser = input[1]
        fromBrowser = output[0]
        // A page to drive: the first page target, attached with a flat session.
        let targets = try call("Target.getTargets")
        guard let infos = targets["targetInfos"] as? [[String: Any]],
              let page = infos.first(where: { ($0["type"] as? String) == "page" }), let id = page["targetId"] as? String else {
            throw Failure("Chromium has no page")
        }
        let attached = try call("Target.attachToTarget", ["targetId": id, "flatten": true])
        session = attached["sessionId"] as? String
        _ = try call("Page.enable")
        _ = try call("Runtime.enable")
    }

    deinit { stop() }

    func stop() {
        if pid > 0 {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            pid = 0
            close(toBrowser); close(fromBrowser)
            try? FileManager.default.removeItem(at: profile)
        }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ d: String) { description = d }
    }

    /// Sends a command and returns its result (waits up to `seconds`).
    @discardableResult
    func call(_ method: String, _ params: [String: Any] = [:], seconds: Double = 30) throws -> [String: Any] {
        let id = nextID
        nextID += 1
        var message: [String: Any] = ["id": id, "method": method, "params": params]
        if let session, !method.hasPrefix("Target.") { message["sessionId"] = session }
        var bytes = [UInt8](try JSONSerialization.data(withJSONObject: message))
        bytes.append(0)
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { write(toBrowser, $0.baseAddress!, $0.count) }
            guard n > 0 else { throw Failure("Chromium closed its pipe") }
            offset += n
        }
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            while let end = pending.firstIndex(of: 0) {
                let data = Data(pending[..<end])
                pending.removeSubrange(...end)
                guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                      (object["id"] as? Int) == id else { continue }
                if let error = object["error"] as? [String: Any] { throw Failure("\(method): \(error)") }
                return object["result"] as? [String: Any] ?? [:]
            }
            var request = pollfd(fd: fromBrowser, events: Int16(POLLIN), revents: 0)
            guard poll(&request, 1, 100) > 0 else { continue }
            var buffer = [UInt8](repeating: 0, count: 65536)
            let n = read(fromBrowser, &buffer, buffer.count)
            guard n > 0 else { throw Failure("Chromium closed its pipe") }
            pending += buffer[0..<n]
        }
        throw Failure("\(method): no answer in \(seconds) s")
    }

    /// The value of a script expression in the page.
    func evaluate(_ expression: String) throws -> Any? {
        let result = try call("Runtime.evaluate", ["expression": expression, "returnByValue": true])
        return (result["result"] as? [String: Any])?["value"]
    }

    /// Opens `url` and waits until the page has loaded.
    func open(_ url: URL) throws {
        try call("Page.navigate", ["url": url.absoluteString])
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if (try evaluate("document.readyState === 'complete' && location.href !== 'about:blank'")) as? Bool == true { return }
            usleep(50_000)
        }
        throw Failure("\(url) did not load")
    }

    /// Presses a key in the focused element (`ArrowRight`, `End`, ...).
    func press(_ key: String, code: Int) throws {
        for type in ["rawKeyDown", "keyUp"] {
            try call("Input.dispatchKeyEvent", ["type": type, "key": key, "code": key, "windowsVirtualKeyCode": code])
        }
    }

    /// A PNG of the page as it is now.
    func screenshot(width: Int = 1280, height: Int = 900, dark: Bool = false) throws -> Data {
        try call("Emulation.setDeviceMetricsOverride", ["width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 500])
        try call("Emulation.setEmulatedMedia", ["features": [["name": "prefers-color-scheme", "value": dark ? "dark" : "light"]]])
        let shot = try call("Page.captureScreenshot", ["format": "png"])
        return Data(base64Encoded: shot["data"] as? String ?? "") ?? Data()
    }
}
