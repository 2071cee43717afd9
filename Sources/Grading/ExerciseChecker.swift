import Foundation
import Kernel
#if canImport(Glibc)
import Glibc
#endif

/// Limits on each check's process.
public struct CheckLimits: Sendable, Hashable, Codable {
    /// Wall-clock seconds per check (CPU time is limited to the same).
    public var seconds: Double = 20
    public var memoryMegabytes: Int = 4096
    /// Largest file the check may write.
    public var fileMegabytes: Int = 16
    /// Processes the submission's user may have (not enforced for root).
    public var processes: Int = 256

    public init() {}
}

/// Compiles a submission with an exercise's checks and runs each check in a
/// process of its own, under limits, in a scratch folder, with a scrubbed
/// environment.
public struct ExerciseChecker: Sendable {
    public let toolchain: Toolchain
    public let limits: CheckLimits
    /// Scratch folders go under here; each check run gets a fresh one.
    public let workDirectory: URL
    /// Folders a check must not see (the chapters with their solutions, the
    /// class's other submissions): hidden under an empty file system.
    public let hidden: [URL]

    public init(toolchain: Toolchain, limits: CheckLimits = CheckLimits(), workDirectory: URL, hidden: [URL] = []) {
        self.toolchain = toolchain
        self.limits = limits
        self.workDirectory = workDirectory
        self.hidden = hidden.map { $0.standardizedFileURL }
    }

    /// Whether checks run in a sandbox of Linux namespaces: their own mount
    /// table with every file system read-only but their scratch folder and the
    /// hidden folders emptied, no network, and their own process tree (all of
    /// it killed with the check). Found out once, by trying.
    public static let sandboxed: Bool = {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare") else { return false }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        p.arguments = sandboxFlags + ["/bin/sh", "-c", "mount --make-rprivate / && mount -o remount,bind,ro /"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return false }
        p.waitUntilExit()
        return p.terminationStatus == 0
    }()

    static var sandboxFlags: [String] {
        ["--mount", "--pid", "--fork", "--kill-child", "--net"] + (getuid() == 0 ? [] : ["--map-root-user"])
    }

    /// The shell that sets up the sandbox, sets the limits and becomes the
    /// check: `$0` the program, `$1` its scratch folder, then folders to hide.
    var launcher: String {
        let seconds = Int(limits.seconds.rounded(.up))
        let limitsLine = "ulimit -v \(limits.memoryMegabytes * 1024) 2>/dev/null; ulimit -t \(seconds + 1) 2>/dev/null; "
            + "ulimit -f \(limits.fileMegabytes * 1024) 2>/dev/null; ulimit -u \(limits.processes) 2>/dev/null; "
        guard Self.sandboxed else { return limitsLine + "exec \"$0\"" }
        return """
            set -e; program=$0; run=$1; shift
            mount --make-rprivate /
            mount --bind "$run" "$run"
            mount -o remount,bind,ro /
            for d in "$@"; do case "$run/" in "$d"/*) ;; *) [ -d "$d" ] && mount -t tmpfs -o size=64k,mode=0555 nbrun-hidden "$d" ;; esac; done
            set +e
            \(limitsLine)exec "$program"
            """
    }

    /// Checks `source` (the student's file, shown as `path`) against `spec`.
    public func check(_ spec: ExerciseSpec, source: String, path: String) -> CheckReport {
        var report = CheckReport(exercise: spec.label, file: path, errors: [], checks: [], output: "")
        let scratch = workDirectory.appendingPathComponent("check-\(getpid())-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: scratch) }
        do {
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            let program = CheckProgram(spec: spec)
            var name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
            name = String(name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
            let submission = scratch.appendingPathComponent((name.isEmpty ? "submission" : name) + ".swift")
            try program.main.write(to: scratch.appendingPathComponent("main.swift"), atomically: true, encoding: .utf8)
            try program.setup.write(to: scratch.appendingPathComponent("setup.swift"), atomically: true, encoding: .utf8)
            try source.write(to: submission, atomically: true, encoding: .utf8)
            let compiled = try compile(["main.swift", "setup.swift", submission.lastPathComponent], in: scratch)
            if let errors = compiled.errors(submission: submission.path, shownAs: path, spec: spec) {
                report.errors = errors
                report.checks = spec.checks.map { CheckOutcome(name: $0.name, hidden: $0.hidden, points: $0.points, earned: 0,
                                                               passed: false, message: "not run: the file does not compile") }
                return report
            }
            // The checks' source (hidden ones too) and the submission go before anything runs.
            for name in ["main.swift", "setup.swift", submission.lastPathComponent] {
                try? FileManager.default.removeItem(at: scratch.appendingPathComponent(name))
            }
        } catch {
            report.errors = ["\(path):1:1: error: could not check the file: \(error)"]
            report.checks = spec.checks.map { CheckOutcome(name: $0.name, hidden: $0.hidden, points: $0.points, earned: 0,
                                                           passed: false, message: "not run") }
            return report
        }
        for (i, check) in spec.checks.enumerated() {
            let (passed, message, output) = run(check: i, in: scratch)
            report.checks.append(CheckOutcome(name: check.name, hidden: check.hidden, points: check.points,
                                              earned: passed ? check.points : 0, passed: passed, message: message))
            if report.output.utf8.count < 4096 { report.output += String(output.prefix(4096)) }
        }
        return report
    }

    struct Compiled {
        var status: Int32
        var output: String

        /// The compiler's errors, located in the student's file where they are
        /// there; nil when the program compiled.
        func errors(submission: String, shownAs path: String, spec: ExerciseSpec) -> [String]? {
            guard status != 0 else { return nil }
            let diagnostics = parseDiagnostics(output).filter { $0.severity == .error }
            let located = diagnostics.map { d -> String in
                if d.file == submission { return "\(path):\(d.line):\(d.column): error: \(d.message)" }
                if d.file == spec.chapter { return "\(spec.chapter):\(d.line):\(d.column): error: a check does not compile with this file: \(d.message)" }
                return "\(path):1:1: error: \(d.message)"
            }
            return located.isEmpty ? ["\(path):1:1: error: the file does not compile:\n\(output.replacingOccurrences(of: submission, with: path))"] : located
        }
    }

    func compile(_ files: [String], in dir: URL) throws -> Compiled {
        var args = ["-swift-version", "5", "-Onone", "-diagnostic-style=llvm", "-module-name", "Submission",
                    "-module-cache-path", toolchain.moduleCachePath(in: workDirectory),
                    "-I", toolchain.modulesDirectory.path]
        for d in toolchain.cModuleDirectories { args += ["-I", d.path] }
        args += ["-L", toolchain.buildDirectory.path, "-lNBFlows",
                 "-Xlinker", "-rpath", "-Xlinker", toolchain.buildDirectory.path]
        args += files.map { dir.appendingPathComponent($0).path } + ["-o", dir.appendingPathComponent("checks").path]
        let (status, output) = try runProcess(toolchain.swiftc, args, directory: dir)
        return Compiled(status: status, output: output)
    }

    /// Runs check `index`; passed, the failure message, and what the program printed.
    func run(check index: Int, in scratch: URL) -> (Bool, String?, String) {
        let run = scratch.appendingPathComponent("run-\(index)")
        try? FileManager.default.createDirectory(at: run, withIntermediateDirectories: true)
        let result = run.appendingPathComponent(".result-\(UUID().uuidString)")
        let token = UUID().uuidString + UUID().uuidString
        let out = run.appendingPathComponent(".stdout")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        let p = Process()
        let program = scratch.appendingPathComponent("checks").path
        if Self.sandboxed {
            p.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
            p.arguments = Self.sandboxFlags + ["/bin/sh", "-c", launcher, program, run.path] + hidden.map(\.path)
        } else {
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-c", launcher, program]
        }
        p.currentDirectoryURL = run
        p.environment = compiledProgramEnvironment.merging([
            "PATH": "/usr/bin:/bin", "HOME": run.path, "TMPDIR": run.path, "LANG": "C.UTF-8", "NBFLOWS_THREADS": "1",
            "NBRUN_CHECK_INDEX": String(index), "NBRUN_CHECK_RESULT": result.path, "NBRUN_CHECK_TOKEN": token,
        ]) { fixed, _ in fixed }
        p.standardInput = FileHandle.nullDevice
        let handle = FileHandle(forWritingAtPath: out.path)
        p.standardOutput = handle
        p.standardError = handle
        do { try p.run() } catch { return (false, "could not start the check: \(error)", "") }
        let start = Date()
        var timedOut = false
        while p.isRunning {
            usleep(2_000)
            if Date().timeIntervalSince(start) > limits.seconds {
                timedOut = true
                kill(p.processIdentifier, SIGKILL)
                break
            }
        }
        p.waitUntilExit()
        try? handle?.close()
        let printed = String(decoding: (FileManager.default.contents(atPath: out.path) ?? Data()).prefix(16_384), as: UTF8.self)
        let line = String(decoding: FileManager.default.contents(atPath: result.path) ?? Data(), as: UTF8.self)
        let fields = line.trimmingCharacters(in: .newlines).components(separatedBy: "\t")
        if !timedOut, fields.count >= 3, fields[0] == token {
            if fields[1] == "pass" { return (true, nil, printed) }
            return (false, fields.dropFirst(3).first ?? "failed", printed)
        }
        if timedOut { return (false, "took longer than \(Int(limits.seconds)) s and was stopped", printed) }
        if let trap = trapMessage(printed) { return (false, "crashed: \(trap)", printed) }
        if p.terminationReason == .uncaughtSignal {
            return (false, "crashed (signal \(p.terminationStatus)\(p.terminationStatus == 9 ? ", perhaps out of memory or CPU time" : ""))", printed)
        }
        return (false, "the program ended (status \(p.terminationStatus)) before the check finished", printed)
    }
}
