import Testing
import Foundation
import Grading

/// A class of students written to get points without the work, graded by
/// `nbrun grade` for real, as root and (where the tests run as root) as an
/// ordinary user: every hostile student gets 0, honest ones full marks, no
/// classmate's file changes, no solution text reaches any output, and the
/// class finishes.
@Suite(.serialized) struct HostileClassTests {
    static let marker = "SOLUTION-MARKER-q7x"

    static let chapter = """
        # Squares

        ::::{exercise} Squares
        :label: ex-square

        Write `square(_:)`, which returns its argument squared.

        ```{setup}
        let offset: Float = 0
        ```

        ```{starter}
        func square(_ x: Float) -> Float {
            return 0
        }
        ```

        ```{check} small numbers
        :points: 2
        expectClose(square(3), 9)
        expectClose(square(-2), 4)
        ```

        ```{check} about four
        :points: 1
        expect(square(2) > 3.9, "square(2) is about 4")
        ```

        ```{check} large numbers
        :points: 3
        :hidden:
        expectClose(square(1000) + offset, 1_000_000)
        ```
        ::::

        ::::{solution} ex-square
        ```swift
        func square(_ x: Float) -> Float {
            let note = "\(marker)"
            return note.isEmpty ? 0 : x * x
        }
        ```
        ::::
        """

    /// Each student's file, given the class folder's absolute path and a port that listens on loopback.
    static func students(root: String, port: Int) -> [String: String] {
        let chapterPath = root + "/book/01-squares.md"
        return [
            "honest-a": "func square(_ x: Float) -> Float { x * x }",
            "honest-b": "func square(_ x: Float) -> Float { Float(Double(x) * Double(x)) }",
            "forge-descriptors": """
                func square(_ x: Float) -> Float {
                    let fake = "close\\t31\\tthe value\\t\\t0.0\\t\\t0.0\\t0.0001\\nclose\\t32\\tthe value\\t\\t0.0\\t\\t0.0\\t0.0001\\nend\\t2\\n"
                    for fd in Int32(3)..<256 { _ = fake.withCString { write(fd, $0, strlen($0)) } }
                    exit(0)
                }
                """,
            "forge-environ": """
                func square(_ x: Float) -> Float {
                    let environ = (try? String(contentsOfFile: "/proc/self/environ", encoding: .utf8)) ?? ""
                    let cmdline = (try? String(contentsOfFile: "/proc/self/cmdline", encoding: .utf8)) ?? ""
                    for field in (environ + "\\0" + cmdline).split(separator: "\\0") {
                        let value = field.split(separator: "=").last.map(String.init) ?? ""
                        try? "\\(value)\\tpass\\t1\\nend\\t0\\n".write(toFile: value, atomically: false, encoding: .utf8)
                    }
                    print("pass")
                    exit(0)
                }
                """,
            "forge-memory": """
                func square(_ x: Float) -> Float {
                    // Look through its own memory for anything the grader left there, then forge with it.
                    var found = ""
                    if let maps = try? String(contentsOfFile: "/proc/self/maps", encoding: .utf8), let mem = FileHandle(forReadingAtPath: "/proc/self/mem") {
                        for line in maps.split(separator: "\\n") where line.contains("rw-p") {
                            let range = line.split(separator: " ")[0].split(separator: "-").compactMap { UInt64($0, radix: 16) }
                            guard range.count == 2, range[1] - range[0] < 1 << 22 else { continue }
                            try? mem.seek(toOffset: range[0])
                            if let data = try? mem.read(upToCount: Int(range[1] - range[0])), let s = String(data: data, encoding: .ascii), s.contains("NBRUN") { found = s }
                        }
                    }
                    _ = "\\(found.prefix(64))\\tpass\\t1\\nend\\t0\\n".withCString { write(3, $0, strlen($0)) }
                    exit(0)
                }
                """,
            "extend-assertions": """
                import CheckRuntime
                func square(_ x: Float) -> Float { 0 }
                extension CheckRecorder {
                    public func expectClose(actual: [Double], shape: [Int], expected: () -> ([Double], [Int]), tolerance: Double,
                                            _ what: String, line: UInt) { fail("x", line: 0) }
                }
                public struct NBRunCheck { public init(recorder: CheckRecorder) {} }
                public func expectClose(_ a: Float, _ b: Float, tolerance: Double = 1e-4, _ what: String = "") {}
                """,
            "shadow-operators": """
                func square(_ x: Float) -> Float { 0 }
                public func > (a: Float, b: Float) -> Bool { true }
                extension Float {
                    public static func + (a: Float, b: Float) -> Float { 1_000_000 }
                    public static func - (a: Float, b: Float) -> Float { 0 }
                }
                extension Array { public var count: Int { 1 } }
                public func abs(_ x: Double) -> Double { 0 }
                """,
            "remount": """
                func square(_ x: Float) -> Float {
                    let p = Process()
                    p.executableURL = URL(fileURLWithPath: "/bin/sh")
                    p.arguments = ["-c", "umount /tmp; umount /proc; mount -o remount,rw /; nsenter -t 1 -m -n true && touch /tmp/escaped; touch /etc/nbrun-pwned"]
                    try? p.run(); p.waitUntilExit()
                    return FileManager.default.fileExists(atPath: "/etc/nbrun-pwned") || FileManager.default.fileExists(atPath: "/tmp/escaped") ? x * x : 0
                }
                """,
            "proc-root": """
                func square(_ x: Float) -> Float {
                    for pid in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] where Int(pid) != nil {
                        if let s = try? String(contentsOfFile: "/proc/\\(pid)/root\(chapterPath)", encoding: .utf8), s.contains("MARKER") { return x * x }
                        if FileManager.default.fileExists(atPath: "/proc/\\(pid)/ns/net"), pid != "1", Int(pid)! > 2 {
                            if (try? String(contentsOfFile: "/proc/\\(pid)/root/etc/hostname", encoding: .utf8)) != nil, (try? String(contentsOfFile: "/proc/\\(pid)/root\(root)/book/myst.yml", encoding: .utf8)) != nil { return x * x }
                        }
                    }
                    return 0
                }
                """,
            "reads-solution": """
                func square(_ x: Float) -> Float {
                    let s = (try? String(contentsOfFile: "\(chapterPath)", encoding: .utf8)) ?? ""
                    return s.contains("MARKER") ? x * x : 0
                }
                """,
            "dev-shm": """
                func square(_ x: Float) -> Float {
                    FileManager.default.createFile(atPath: "/dev/shm/nbrun-leak-test", contents: Data("x".utf8))
                    return 0
                }
                """,
            "network": """
                func square(_ x: Float) -> Float {
                    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
                    var address = sockaddr_in()
                    address.sin_family = sa_family_t(AF_INET)
                    address.sin_port = in_port_t(UInt16(\(port)).bigEndian)
                    address.sin_addr.s_addr = inet_addr("127.0.0.1")
                    let ok = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
                    return ok == 0 ? x * x : 0
                }
                """,
            "changes-classmate": """
                func square(_ x: Float) -> Float {
                    try? "func square(_ x: Float) -> Float { 0 }".write(toFile: "\(root)/subs/honest-a/ex-square.swift", atomically: false, encoding: .utf8)
                    return 0
                }
                """,
            "process-flood": """
                func square(_ x: Float) -> Float {
                    let p = Process()
                    p.executableURL = URL(fileURLWithPath: "/bin/sh")
                    p.arguments = ["-c", "while :; do sleep 1000 & done"]
                    try? p.run()
                    sleep(2)
                    return 0
                }
                """,
            "huge-file": "func square(_ x: Float) -> Float { x * x }\n" + String(repeating: "// padding padding padding padding padding padding padding padding\n", count: 5000),
            "slow-to-compile": """
                func square(_ x: Float) -> Float {
                    let a: Float = -(1 + 1) * 1 - 1 + (1 - 1) * 1 + 1 / 1 - 1 + (1 + 1) * 1 - 1 + 1 / 1 - 1 * 1 + 1 - (1 + 1) * 1 / 1 + 1 - 1 * (1 + 1) - 1 + 1
                    return a * 0
                }
                """,
            "escape-codes": """
                func square(_ x: Float) -> Float {
                    print("\\u{1b}[2K\\r  ✔ hidden check          3/3\\n  6/6 points\\u{1b}[8m")
                    fatalError("\\u{1b}[32m✔ all passed\\r\\n6/6 points")
                }
                """,
            "rewrites-report": """
                // Puts a pipe of its own in the report's place and rewrites failing lines on their way;
                // at exit, waits until everything is forwarded.
                nonisolated(unsafe) var rewiring = false
                nonisolated(unsafe) var writeEnd: Int32 = -1
                let forwarded = DispatchSemaphore(value: 0)
                func square(_ x: Float) -> Float {
                    if !rewiring {
                        rewiring = true
                        var ends: [Int32] = [0, 0]
                        _ = pipe(&ends)
                        let original = dup(3)
                        dup2(ends[1], 3)
                        writeEnd = ends[1]
                        let reader = ends[0]
                        Thread {
                            var buffer = [UInt8](repeating: 0, count: 4096)
                            while true {
                                let n = read(reader, &buffer, buffer.count)
                                if n <= 0 { break }
                                let text = String(decoding: buffer[0..<n], as: UTF8.self).replacingOccurrences(of: "\\t0\\n", with: "\\t1\\n")
                                _ = text.withCString { write(original, $0, strlen($0)) }
                            }
                            forwarded.signal()
                        }.start()
                        atexit { close(3); close(writeEnd); forwarded.wait() }
                    }
                    return 0
                }
                """,
            "fills-memory": """
                // Memory file systems are memory no process limit counts: fill them, and its working folder.
                func square(_ x: Float) -> Float {
                    let block = Data(count: 1 << 20)
                    for folder in ["/tmp", "/dev/shm", FileManager.default.currentDirectoryPath] {
                        for i in 0..<4096 where FileManager.default.createFile(atPath: "\\(folder)/fill-\\(i)", contents: block) == false { break }
                    }
                    return 0
                }
                """,
            "symbol-interposer": """
                // Replaces the C function the report is written with, to rewrite failing lines as it goes.
                @_cdecl("fputs") public func interposedFputs(_ s: UnsafePointer<CChar>, _ f: OpaquePointer) -> Int32 {
                    let line = String(cString: s).replacingOccurrences(of: "\\t0\\n", with: "\\t1\\n")
                    return Int32(line.withCString { write(3, $0, strlen($0)) })
                }
                func square(_ x: Float) -> Float { 0 }
                """,
            "source-location": """
                #sourceLocation(file: "\(chapterPath)", line: 3)
                func square(_ x: Float) -> Float { return y }
                """,
        ]
    }

    func nbrun(_ dir: URL, _ arguments: [String], asUser uid: UInt32? = nil) throws -> (status: Int32, output: String) {
        guard let uid else { return try GradeCommandTests.launch(RunCommandTests.nbrun, arguments, in: dir, environment: ["HOME": dir.path]) }
        return try GradeCommandTests.launch(URL(fileURLWithPath: "/usr/bin/setpriv"),
                                            ["--reuid=\(uid)", "--regid=\(uid)", "--clear-groups", RunCommandTests.nbrun.path] + arguments,
                                            in: dir, environment: ["HOME": dir.path])
    }

    func makeClass(port: Int) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nbrun-hostile-\(getpid())-\(UUID().uuidString.prefix(8))")
        func write(_ text: String, _ path: String) throws {
            let url = dir.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        try write("version: 1\nproject:\n  title: T\n  toc:\n    - file: 01-squares.md\n", "book/myst.yml")
        try write(Self.chapter, "book/01-squares.md")
        for (student, body) in Self.students(root: dir.path, port: port) {
            try write("import Foundation\nimport NotebookRuntime\n\n" + body + "\n", "subs/\(student)/ex-square.swift")
        }
        // A link to a classmate's file, a name that is a spreadsheet formula, a folder where a feedback file goes.
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("subs/symlinker"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("subs/symlinker/ex-square.swift").path,
                                                   withDestinationPath: dir.appendingPathComponent("subs/honest-a/ex-square.swift").path)
        try write("func square(_ x: Float) -> Float { 0 }\n", "subs/=HYPERLINK(\"http:⁄⁄x\",\"y\")/ex-square.swift")
        try write("func square(_ x: Float) -> Float { x * x }\n", "subs/honest-c/ex-square.swift")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("out/feedback/honest-c.txt"), withIntermediateDirectories: true)
        return dir
    }

    /// A listener on loopback, for the student who tries the network.
    func listen() -> (Int32, Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        Glibc.listen(fd, 16)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    func gradeAndCheck(asUser uid: UInt32?) throws {
        let (listener, port) = listen()
        defer { close(listener) }
        let dir = try makeClass(port: port)
        defer { try? FileManager.default.removeItem(at: dir) }
        if let uid { _ = try nbrun(dir, ["--help"]); chownTree(dir, uid) }
        let honestFile = try String(contentsOf: dir.appendingPathComponent("subs/honest-a/ex-square.swift"), encoding: .utf8)
        let started = Date()
        let run = try nbrun(dir, ["grade", "book", "--submissions", "subs", "--out", "out/grades.csv", "--timeout", "5", "--compile-timeout", "60"], asUser: uid)
        let seconds = Date().timeIntervalSince(started)
        print("hostile class of \(Self.students(root: "", port: 0).count + 3) graded in \(String(format: "%.1f", seconds)) s\(uid.map { " as uid \($0)" } ?? "")")
        #expect(run.status == 0, "\(run.output)")
        let csv = (try? String(contentsOf: dir.appendingPathComponent("out/grades.csv"), encoding: .utf8)) ?? ""
        var rows: [String: String] = [:]
        for line in csv.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            rows[fields.dropLast(3).joined(separator: ",")] = fields[fields.count - 3]
        }
        for honest in ["honest-a", "honest-b", "honest-c"] { #expect(rows[honest] == "6", "\(honest): \(csv)") }
        for hostile in Self.students(root: "", port: 0).keys where !hostile.hasPrefix("honest") {
            #expect(rows[hostile] == "0", "\(hostile) earned points: \(csv)\n\(feedback(dir, hostile))")
        }
        #expect(rows["symlinker"] == "0" && feedback(dir, "symlinker").contains("symbolic link"))
        // The formula is defused, and its row still counts.
        #expect(csv.contains("\"'=HYPERLINK(\"\"http:⁄⁄x\"\",\"\"y\"\")\",0,6,0"), "\(csv)")
        #expect(run.output.contains("the feedback of 'honest-c' could not be written"), "\(run.output)")
        #expect(feedback(dir, "huge-file").contains("over the 256 KB"))
        #expect(feedback(dir, "source-location").contains("ex-square.swift:4:1: error: #sourceLocation is not allowed"), "\(feedback(dir, "source-location"))")
        #expect(feedback(dir, "rewrites-report").contains("tampered with"), "\(feedback(dir, "rewrites-report"))")
        #expect(feedback(dir, "symbol-interposer").contains("@_cdecl is not allowed in an exercise file"), "\(feedback(dir, "symbol-interposer"))")
        #expect(feedback(dir, "escape-codes").contains("crashed"), "\(feedback(dir, "escape-codes"))")
        // Nothing changed where it should not, and nothing was left behind.
        #expect((try? String(contentsOf: dir.appendingPathComponent("subs/honest-a/ex-square.swift"), encoding: .utf8)) == honestFile)
        #expect(!FileManager.default.fileExists(atPath: "/dev/shm/nbrun-leak-test"))
        #expect(!FileManager.default.fileExists(atPath: "/etc/nbrun-pwned"))
        #expect(!processes().contains { $0.contains("sleep 1000") }, "a flood's processes outlived their check")
        // No solution text, hidden check or raw control character in anything a person reads.
        // (The gradebook's JSON is the instructor's and names hidden checks; what students get does not.)
        var outputs = run.output
        let gradebook = ["out/grades.csv", "out/grades.json"].map { (try? String(contentsOf: dir.appendingPathComponent($0), encoding: .utf8)) ?? "" }.joined()
        #expect(!gradebook.contains(Self.marker) && !gradebook.contains("note.isEmpty"))
        for student in (try? FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("out/feedback").path)) ?? [] {
            outputs += (try? String(contentsOf: dir.appendingPathComponent("out/feedback/\(student)"), encoding: .utf8)) ?? ""
        }
        #expect(!outputs.contains(Self.marker) && !outputs.contains("note.isEmpty"))
        #expect(!outputs.contains("large numbers") && !outputs.contains("1_000_000"))
        #expect(!outputs.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x0D }, "raw escape codes in the outputs")
        #expect(seconds < 900, "the class took \(seconds) s")
    }

    func feedback(_ dir: URL, _ student: String) -> String {
        (try? String(contentsOf: dir.appendingPathComponent("out/feedback/\(student).txt"), encoding: .utf8)) ?? ""
    }

    func processes() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { pid in
            guard Int(pid) != nil, let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return nil }
            return String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\0", with: " ")
        }
    }

    func chownTree(_ dir: URL, _ uid: UInt32) {
        chown(dir.path, uid, uid)
        for case let path as String in FileManager.default.enumerator(atPath: dir.path) ?? FileManager.default.enumerator(atPath: "/nonexistent")! {
            lchown(dir.appendingPathComponent(path).path, uid, uid)
        }
    }

    static var jails: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/bwrap") }

    @Test(.enabled(if: jails, "needs bubblewrap (Debian: apt-get install bubblewrap)"))
    func aHostileClassEarnsNothing() throws {
        try gradeAndCheck(asUser: nil)
    }

    @Test(.enabled(if: jails && getuid() == 0, "runs as root, to grade as an ordinary user"),
          .enabled(if: Sandbox.blockedAncestor(RunCommandTests.packageRoot.path) == nil,
                   "the package is in a folder other users may not enter, so an ordinary user cannot run its nbrun"))
    func aHostileClassEarnsNothingGradedByAnOrdinaryUser() throws {
        try gradeAndCheck(asUser: 4321)
    }

    /// The course's training exercise: a flow that learns nothing but claims a
    /// smaller volume beats the NLL threshold; the density's integral catches it.
    @Test(.enabled(if: jails, "needs bubblewrap (Debian: apt-get install bubblewrap)"))
    func aFlowWhoseLogDeterminantLiesEarnsNothing() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nbrun-liar-\(getpid())-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("subs/liar"), withIntermediateDirectories: true)
        try """
            import Foundation
            import NotebookRuntime

            final class Liar: Bijector {
                var parameters: [Tensor] { [] }
                func forward(_ x: Tensor, condition: Tensor?) -> (y: Tensor, logDet: Tensor) { (x, Tensor.zeros([x.shape[0]]) + 3) }
                func inverse(_ y: Tensor, condition: Tensor?) -> (x: Tensor, logDet: Tensor) { (y, Tensor.zeros([y.shape[0]]) - 3) }
            }

            func fitFlow(_ data: Tensor, using rng: inout RandomGenerator) -> Flow {
                Flow(base: StandardNormal(dimension: 2), bijectors: [Liar()])
            }
            """.write(to: dir.appendingPathComponent("subs/liar/ex-realnvp-fit2d.swift"), atomically: true, encoding: .utf8)
        let course = RunCommandTests.packageRoot.appendingPathComponent("Notebooks").path
        let run = try nbrun(dir, ["grade", course, "--submissions", "subs", "--out", "out/grades.csv"])
        #expect(run.status == 0, "\(run.output)")
        let csv = (try? String(contentsOf: dir.appendingPathComponent("out/grades.csv"), encoding: .utf8)) ?? ""
        // Nothing earned anywhere: the liar's row is 0 points of the possible
        // total, and 0 in the column of every exercise of the header.
        let rows = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = rows.first ?? [], liar = rows.last ?? []
        #expect(header.count > 3 && liar.count == header.count, "\(csv)")
        #expect(liar.first == "liar" && liar.dropFirst().first == "0" && (Int(liar.dropFirst(2).first ?? "") ?? 0) > 0, "\(csv)")
        #expect(liar.dropFirst(3).allSatisfy { $0 == "0" }, "\(csv)")
        let feedback = (try? String(contentsOf: dir.appendingPathComponent("out/feedback/liar.txt"), encoding: .utf8)) ?? ""
        #expect(feedback.contains("integrated over [-8, 8]²: expected 1 ± 0.05, got 20.08"), "\(feedback)")
    }
}

