import Foundation
import Plumbing
#if canImport(Glibc)
import Glibc
#endif

/// Limits that bind a process and everything it starts: set with setrlimit
/// (`prlimit`) before the program runs, so no shell decides whether they hold.
public struct ProcessLimits: Sendable, Hashable, Codable {
    public var seconds: Double
    public var memoryMegabytes: Int
    public var fileMegabytes: Int
    public var processes: Int
    public var openFiles: Int = 256

    public init(seconds: Double, memoryMegabytes: Int, fileMegabytes: Int, processes: Int) {
        self.seconds = seconds; self.memoryMegabytes = memoryMegabytes
        self.fileMegabytes = fileMegabytes; self.processes = processes
    }

    var prlimitArguments: [String] {
        let cpu = Int(seconds.rounded(.up)) + 1
        return ["--as=\(memoryMegabytes << 20)", "--cpu=\(cpu)", "--fsize=\(fileMegabytes << 20)",
                "--nproc=\(processes)", "--nofile=\(openFiles)", "--core=0"]
    }
}

/// The jail that submitted code is compiled and run in: bubblewrap
/// (Debian's `bubblewrap`) with new user, mount, PID, network, IPC, UTS and
/// cgroup namespaces, no capabilities, and as an unprivileged user (when
/// the grader runs as root, it first becomes `nobody`, so nothing inside
/// maps to root). The file system is built from scratch: the system's
/// programs and libraries, the Swift toolchain and the flow library,
/// read-only; a fresh `/proc`, private `/tmp` and `/dev/shm`; and only the
/// folders a step names. The instructor's project, the class and the
/// grader's work folders are not there at all. Every process of the jail
/// is killed when its first process ends or is killed.
public struct Sandbox: Sendable {
    public struct Bind: Sendable, Hashable {
        public var source: String
        public var target: String
        public var writable: Bool
        public init(_ source: String, at target: String? = nil, writable: Bool = false) {
            self.source = source; self.target = target ?? source; self.writable = writable
        }
    }

    /// Whether jails can be made here, and if not, why.
    public enum Availability: Sendable, Equatable {
        case available
        case unavailable(String)
    }

    static let bwrap = "/usr/bin/bwrap"
    static let setpriv = "/usr/bin/setpriv"
    static let prlimit = "/usr/bin/prlimit"
    /// The user a root grader becomes before making a jail for trusted code
    /// (reference solutions, a student's own check).
    public static let nobody: UInt32 = 65534

    /// Users for graded submissions, one per job at a time. The process
    /// limit counts a user's processes across every jail, so a submission
    /// that floods its jail with processes would otherwise starve the jails
    /// of classmates graded beside it. Unnamed uids from a range picked by
    /// process, so that shards on one node rarely meet.
    final class Users: Sendable {
        static let shared = Users()
        private let free: Locked<[UInt32]>

        init() {
            let base = UInt32(200_000) + UInt32(getpid() % 4096) * 64
            free = Locked((0..<64).map { base + UInt32($0) }.reversed())
        }

        func acquire() -> UInt32 {
            free.withLock { $0.popLast() } ?? nobody
        }

        func release(_ user: UInt32) {
            guard user != nobody else { return }
            free.withLock { $0.append(user) }
        }
    }

    /// Found once, by making a jail and looking inside it.
    public static let availability: Availability = probe()
    public static var isAvailable: Bool { availability == .available }

    /// Read-only system folders every jail gets.
    static let systemFolders = ["/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin", "/etc"]

    /// The command line that runs `program` in a jail with `binds`, in
    /// `directory`, with exactly `environment`, under `limits`.
    /// Megabytes each of a jail's memory file systems (`/tmp`, `/dev/shm`, scratch folders) may hold.
    public static let scratchMegabytes = 64

    /// `scratch` folders are empty, writable, size-capped memory file systems
    /// (a check's working folder: nothing it writes reaches the disk).
    public static func command(_ program: [String], binds: [Bind], scratch: [String] = [], directory: String,
                               environment: [String: String], limits: ProcessLimits, user: UInt32 = nobody) -> [String] {
        var argv: [String] = []
        if getuid() == 0 {
            argv += [setpriv, "--reuid=\(user)", "--regid=\(user)", "--clear-groups", "--inh-caps=-all", "--"]
        }
        argv += [prlimit] + limits.prlimitArguments + ["--"]
        argv += [bwrap, "--unshare-all", "--unshare-user", "--die-with-parent", "--new-session", "--cap-drop", "ALL",
                 "--hostname", "nbrun-check", "--clearenv"]
        for (k, v) in environment.sorted(by: { $0.key < $1.key }) { argv += ["--setenv", k, v] }
        for folder in systemFolders where FileManager.default.fileExists(atPath: folder) {
            argv += ["--ro-bind", folder, folder]
        }
        // tmpfs is memory that no process limit counts: each one is capped.
        let size = String(scratchMegabytes << 20)
        argv += ["--proc", "/proc", "--dev", "/dev", "--size", size, "--tmpfs", "/tmp", "--size", size, "--tmpfs", "/dev/shm",
                 "--size", "1048576", "--tmpfs", "/run"]
        for b in binds {
            argv += [b.writable ? "--bind" : "--ro-bind", b.source, b.target]
        }
        for folder in scratch { argv += ["--size", size, "--tmpfs", folder] }
        argv += ["--chdir", directory, "--"] + program
        return argv
    }

    /// A program outside any jail, under the same limits (where `prlimit` exists).
    public static func unjailed(_ program: [String], limits: ProcessLimits) -> [String] {
        FileManager.default.isExecutableFile(atPath: prlimit) ? [prlimit] + limits.prlimitArguments + ["--"] + program : program
    }

    /// The first folder on the way to `path` that users other than its owner
    /// and group may not enter, as a root grader's jail user is; nil when
    /// every one lets them.
    public static func blockedAncestor(_ path: String) -> String? {
        var url = URL(fileURLWithPath: path).standardizedFileURL
        var chain: [String] = []
        while true {
            chain.append(url.path)
            let parent = url.deletingLastPathComponent()
            if parent.path == url.path { break }
            url = parent
        }
        for folder in chain.reversed() {
            var info = stat()
            guard stat(folder, &info) == 0 else { return nil }   // not there yet: made by nbrun, with o+x
            if (info.st_mode & S_IFMT) == S_IFDIR && (info.st_mode & S_IXOTH) == 0 { return folder }
        }
        return nil
    }

    /// Lets every user read (and enter, and run what was runnable in) the
    /// tree at `root`: for what a root grader prepares for its jails' users.
    static func makeReadableByOthers(_ root: URL) {
        chmod(root.path, 0o755)
        for case let name as String in FileManager.default.enumerator(atPath: root.path) ?? NSEnumerator() {
            let path = root.appendingPathComponent(name).path
            var info = stat()
            guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) != S_IFLNK else { continue }
            chmod(path, (info.st_mode & S_IFMT) == S_IFDIR || (info.st_mode & 0o111) != 0 ? 0o755 : 0o644)
        }
    }

    static func probe() -> Availability {
        for tool in [bwrap, prlimit] + (getuid() == 0 ? [setpriv] : []) where !FileManager.default.isExecutableFile(atPath: tool) {
            return .unavailable("\(tool) is missing (Debian: apt-get install bubblewrap util-linux)")
        }
        let limits = ProcessLimits(seconds: 10, memoryMegabytes: 1024, fileMegabytes: 1, processes: 64)
        let argv = command(["/bin/sh", "-c", "touch /etc/nbrun-probe 2>/dev/null && exit 3; id -u"], binds: [], directory: "/",
                           environment: ["PATH": "/usr/bin:/bin"], limits: limits)
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("nbrun-sandbox-probe-\(getpid())")
        defer { try? FileManager.default.removeItem(at: out) }
        guard let result = try? Subprocess.run(argv, environment: ["PATH": "/usr/bin:/bin"], output: out, timeout: 10) else {
            return .unavailable("bubblewrap could not be started")
        }
        let text = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
        guard result.exitStatus == 0 else {
            return .unavailable("bubblewrap cannot make a jail here (user namespaces may be disabled): "
                                + text.trimmingCharacters(in: .whitespacesAndNewlines).prefix(200))
        }
        return .available
    }
}
