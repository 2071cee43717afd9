import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Running a program: the one way nbrun starts processes (chapters, the
/// compiler, checks in their jails, the library's build) and the one
/// watchdog that stops them. Output goes to a file; an optional pipe on
/// descriptor 3 is read as the program runs; a wall-clock limit, and a
/// `watch` the caller polls with, stop it.
public enum Subprocess {
    /// glibc functions the Glibc module does not declare, looked up once.
    static let pipe2: (@convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32)? =
        dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pipe2").map { unsafeBitCast($0, to: (@convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32).self) }
    static let closeFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? =
        dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np").map {
            unsafeBitCast($0, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
        }

    public struct Result: Sendable {
        /// Nil when the program was killed by a signal.
        public var exitStatus: Int32?
        public var signal: Int32?
        /// Stopped by the wall-clock limit.
        public var timedOut: Bool
        /// Stopped because `watch` asked for it.
        public var stopped = false
        /// What the program wrote to descriptor 3 (a pipe), when asked for.
        public var channel = Data()
        public var channelOverflowed = false

        /// The exit status, or the signal's number when it was killed by one.
        public var status: Int32 { exitStatus ?? signal ?? -1 }
    }

    /// A program that could not be started.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    /// Runs `argv` with standard input from /dev/null, standard output and
    /// error to `output` (created anew), and, with `channel`, the writing end
    /// of a pipe as descriptor 3, read as the program runs (at most
    /// `channelLimit` bytes). A pipe, not a file: what was written cannot be
    /// rewritten afterwards.
    ///
    /// - Parameters:
    ///   - ownGroup: the program gets a process group of its own, and the
    ///     whole group is killed when it is stopped or ends (for code that
    ///     may leave processes behind); false keeps it in nbrun's group, so
    ///     Ctrl-C on the terminal reaches it.
    ///   - timeout: seconds of wall clock after which it is killed.
    ///   - watch: called as the program runs (every few milliseconds);
    ///     returning true kills it.
    public static func run(_ argv: [String], environment: [String: String], directory: String? = nil,
                           output: URL, channel: Bool = false, channelLimit: Int = 16 << 20, ownGroup: Bool = true,
                           timeout: Double = .infinity, watch: (() -> Bool)? = nil) throws -> Result {
        let outFD = open(output.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard outFD >= 0 else { throw Failure("cannot create \(output.path)") }
        defer { close(outFD) }
        var channelFD: Int32 = -1, readFD: Int32 = -1
        if channel {
            var ends: [Int32] = [-1, -1]
            // Close-on-exec from the start, so that a program started by
            // another job at the same moment cannot inherit this pipe.
            guard let pipe2 = Self.pipe2, pipe2(&ends, O_CLOEXEC) == 0 else { throw Failure("cannot make a pipe") }
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
        posix_spawnattr_setflags(&attributes, Int16((ownGroup ? POSIX_SPAWN_SETPGROUP : 0) | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        if ownGroup { posix_spawnattr_setpgroup(&attributes, 0) }
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
        guard status == 0 else { throw Failure("cannot start \(argv[0]): \(String(cString: strerror(status)))") }
        if channelFD >= 0 { close(channelFD); channelFD = -1 }
        Self.running.withLock { _ = $0.insert(pid) }
        defer { Self.running.withLock { _ = $0.remove(pid) } }

        func stop() {
            if ownGroup { kill(-pid, SIGKILL) }
            kill(pid, SIGKILL)
        }
        var received = Data(), overflowed = false
        var buffer = [UInt8](repeating: 0, count: 65_536)
        /// Reads what the pipe holds now; false once it is closed.
        func drain() {
            guard readFD >= 0, !overflowed else { return }
            while true {
                let n = read(readFD, &buffer, buffer.count)
                if n <= 0 { return }
                received.append(contentsOf: buffer[0..<n])
                if received.count > channelLimit { overflowed = true; stop(); return }
            }
        }

        let start = Date()
        var raw: Int32 = 0
        var timedOut = false, stopped = false, lost = false
        var delay: useconds_t = 500
        while true {
            drain()
            let r = waitpid(pid, &raw, WNOHANG)
            if r == pid { break }
            if r < 0 && errno != EINTR { lost = true; break }
            timedOut = Date().timeIntervalSince(start) > timeout
            stopped = !timedOut && (watch?() ?? false)
            if timedOut || stopped {
                stop()
                while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
                break
            }
            usleep(delay)
            delay = min(delay * 2, 5_000)
        }
        // Whatever the program left in its group goes with it (a jail's
        // processes are already gone with its PID namespace).
        if ownGroup { kill(-pid, SIGKILL) }
        drain()
        if lost { throw Failure("lost track of \(argv[0]) (waitpid: \(String(cString: strerror(errno))))") }
        let signaled = (raw & 0x7f) != 0 && (raw & 0x7f) != 0x7f
        return Result(exitStatus: signaled ? nil : (raw >> 8) & 0xff, signal: signaled ? raw & 0x7f : nil, timedOut: timedOut,
                      stopped: stopped, channel: received, channelOverflowed: overflowed)
    }
}

extension Subprocess {
    /// Runs `executable` with `arguments` to its end and returns its exit
    /// status and what it printed, standard output and error together.
    public static func capture(_ executable: String, _ arguments: [String], directory: URL,
                               environment: [String: String]? = nil) throws -> (status: Int32, output: String) {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("nbrun-output-\(getpid())-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        // A bare name is looked up in PATH, as a shell would.
        let argv = executable.contains("/") ? [executable] + arguments : ["/usr/bin/env", executable] + arguments
        let result = try run(argv, environment: environment ?? ProcessInfo.processInfo.environment, directory: directory.path,
                             output: output)
        let text = FileManager.default.contents(atPath: output.path).map { String(decoding: $0, as: UTF8.self) } ?? ""
        return (result.status, text)
    }
}

extension Subprocess {
    /// The programs running now, each in its process group (or alone).
    static let running = Locked<Set<pid_t>>([])

    /// Makes Ctrl-C (SIGINT), SIGTERM and SIGHUP stop every program nbrun
    /// started before nbrun ends: they run in process groups of their own,
    /// which a terminal's Ctrl-C does not reach, and would otherwise go on
    /// (a chapter for up to its time limit) after the command is gone.
    /// Call once, at the start of a command.
    public static func stopChildrenOnInterrupt() {
        for signal in [SIGINT, SIGTERM, SIGHUP] {
            Glibc.signal(signal, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signal, queue: .global())
            source.setEventHandler {
                for pid in running.withLock({ Array($0) }) {
                    kill(-pid, SIGKILL)
                    kill(pid, SIGKILL)
                }
                Glibc.signal(signal, SIG_DFL)
                kill(getpid(), signal)
            }
            source.resume()
            interruptSources.withLock { $0.append(source) }
        }
    }

    private static let interruptSources = Locked<[any DispatchSourceSignal]>([])
}
