#if canImport(Glibc)
import Glibc
#endif

/// The `main` of a compiled exercise check: runs one check, named by its
/// index, and reports its outcome to the grader.
///
/// The grader passes three things in the environment: the check's index, a
/// result file and a one-time token. The harness reads and removes them
/// before any submitted code runs; the result line it writes starts with the
/// token, so text a submission prints or writes cannot pass for a result. A
/// submission that exits early, traps or hangs leaves no result line, and the
/// check fails.
public enum CheckHarness {
    public typealias Check = (CheckContext) -> () throws -> Void

    public static func main(_ checks: [Check]) -> Never {
        let index = take("NBRUN_CHECK_INDEX").flatMap { Int($0) } ?? -1
        let resultPath = take("NBRUN_CHECK_RESULT")
        let token = take("NBRUN_CHECK_TOKEN") ?? ""
        guard checks.indices.contains(index), let resultPath else {
            print("this program runs exercise checks for nbrun check; run it through nbrun")
            exit(2)
        }
        let context = CheckContext()
        var thrown: String?
        do { try checks[index](context)() } catch { thrown = "the check threw an error: \(error)" }
        var failures = context.failures
        if let thrown { failures.insert(thrown, at: 0) }
        if context.assertions == 0 && thrown == nil {
            failures.append("the check made no assertions (did the submission redefine expect or expectClose?)")
        }
        // One line: token, verdict, then the failure messages, tab-separated.
        let clean = failures.map { $0.replacingTabsAndNewlines() }
        let line = ([token, failures.isEmpty ? "pass" : "fail", String(context.assertions)] + clean).joined(separator: "\t") + "\n"
        if let file = fopen(resultPath, "w") {
            fputs(line, file)
            fclose(file)
        }
        exit(0)
    }

    /// Reads an environment variable and removes it.
    static func take(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        let s = String(cString: value)
        unsetenv(name)
        return s
    }
}

extension String {
    func replacingTabsAndNewlines() -> String {
        String(map { $0 == "\t" || $0 == "\n" || $0 == "\r" ? " " : $0 })
    }
}
