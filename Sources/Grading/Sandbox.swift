import Foundation
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
    final class Users: @unchecked Sendable {
        static let shared = Users()
        private let lock = NSLock()
        private var free: [UInt32]

        init() {
            let base = UInt32(200_000) + UInt32(getpid() % 4096) * 64
            free = (0..<64).map { base + UInt32($0) }.reversed()
        }

        func acquire() -> UInt32 {
            lock.lock(); defer { lock.unlock() }
            return free.popLast() ?? nobody
        }

        func release(_ user: UInt32) {
            guard user != nobody else { return }
            lock.lock(); free.append(user); lock.unlock()
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
        guard let result = try? Spawn.run(argv, environment: ["PATH": "/usr/bin:/bin"], output: out, timeout: 10) else {
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

/// Starting a process with its output to a file and an optional extra file
/// descriptor 3, in a process group of its own, and waiting for it with a
/// wall-clock limit after which the whole group is killed.
enum Spawn {
    /// glibc functions the Glibc module does not declare, looked up once.
    nonisolated(unsafe) static let pipe2: (@convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32)? =
        dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pipe2").map { unsafeBitCast($0, to: (@convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32).self) }
    nonisolated(unsafe) static let closeFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? =
        dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np").map {
            unsafeBitCast($0, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
        }

    struct Result {
        var exitStatus: Int32?      // nil when killed by a signal
        var signal: Int32?
        var timedOut: Bool
        /// What the program wrote to descriptor 3 (a pipe), when asked for.
        var channel = Data()
        var channelOverflowed = false
    }

    /// Runs `argv` with standard input from /dev/null, standard output and
    /// error to `output` (created anew), and, with `channel`, the writing end
    /// of a pipe as descriptor 3, read as the program runs (at most
    /// `channelLimit` bytes). A pipe, not a file: what was written cannot be
    /// rewritten afterwards.
    static func run(_ argv: [String], environment: [String: String], directory: String? = nil,
                    output: URL, channel: Bool = false, channelLimit: Int = 16 << 20, timeout: Double) throws -> Result {
        let outFD = open(output.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard outFD >= 0 else { throw GradingError("cannot create \(output.path)") }
        defer { close(outFD) }
        var channelFD: Int32 = -1, readFD: Int32 = -1
        if channel {
            var ends: [Int32] = [-1, -1]
            // Close-on-exec from the start, so that a program started by
            // another job at the same moment cannot inherit this pipe.
            guard let pipe2 = Self.pipe2, pipe2(&ends, O_CLOEXEC) == 0 else { throw GradingError("cannot make a pipe") }
            readFD = ends[0]; channelFD = ends[1]
            _ = fcntl(readFD, F_SETFL, fcntl(readFD, F_GETFL) | O_NONBLOCK)
        }
        defer {
            if channelFD >= 0 { close(channelFD) }
            if readFD >= 0 { close(readFD) }
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outFD, 1)
        posix_spawn_file_actions_adddup2(&actions, outFD, 2)
        if channelFD >= 0 { posix_spawn_file_actions_adddup2(&actions, channelFD, 3) }
        // And nothing else reaches the child (glibc 2.34 and later).
        if let closeFrom = Self.closeFrom { _ = closeFrom(&actions, channelFD >= 0 ? 4 : 3) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        posix_spawnattr_setpgroup(&attributes, 0)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)

        // Without posix_spawn's chdir in Glibc's module, env(1) changes folder.
        let argv = directory.map { ["/usr/bin/env", "-C", $0] + argv } ?? argv
        let cArgs = argv.map { strdup($0) } + [nil]
        let cEnv = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { cArgs.forEach { free($0) }; cEnv.forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, argv[0], &actions, &attributes, cArgs, cEnv)
        guard status == 0 else { throw GradingError("cannot start \(argv[0]): \(String(cString: strerror(status)))") }
        if channelFD >= 0 { close(channelFD); channelFD = -1 }

        var received = Data(), overflowed = false
        var buffer = [UInt8](repeating: 0, count: 65_536)
        /// Reads what the pipe holds now; false once it is closed.
        func drain() {
            guard readFD >= 0, !overflowed else { return }
            while true {
                let n = read(readFD, &buffer, buffer.count)
                if n <= 0 { return }
                received.append(contentsOf: buffer[0..<n])
                if received.count > channelLimit { overflowed = true; kill(-pid, SIGKILL); kill(pid, SIGKILL); return }
            }
        }

        let start = Date()
        var raw: Int32 = 0
        var timedOut = false
        var delay: useconds_t = 500
        while true {
            drain()
            let r = waitpid(pid, &raw, WNOHANG)
            if r == pid { break }
            if r < 0 && errno != EINTR { break }
            if Date().timeIntervalSince(start) > timeout {
                timedOut = true
                kill(-pid, SIGKILL)
                kill(pid, SIGKILL)
                while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
                break
            }
            usleep(delay)
            delay = min(delay * 2, 10_000)
        }
        // Whatever the program left in its group goes with it (a jail's
        // processes are already gone with its PID namespace).
        kill(-pid, SIGKILL)
        drain()
        let signaled = (raw & 0x7f) != 0 && (raw & 0x7f) != 0x7f
        return Result(exitStatus: signaled ? nil : (raw >> 8) & 0xff, signal: signaled ? raw & 0x7f : nil, timedOut: timedOut,
                      channel: received, channelOverflowed: overflowed)
    }
}
