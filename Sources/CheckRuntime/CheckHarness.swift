#if canImport(Glibc)
import Glibc
#endif

/// The `main` of a compiled exercise check program: runs one check and
/// reports what it observed on file descriptor 3.
///
/// Arguments: the check's index and the mode (`reference` or `blind`).
/// Nothing secret is passed: the program's report is a list of observations,
/// and the grader, not this process, decides the verdict from them. The last
/// line, `end`, says the check ran to its end; a submission that exits early,
/// traps or hangs leaves no such line and the check fails.
public enum CheckHarness {
    public static func main(_ checks: [(CheckRecorder) throws -> Void]) -> Never {
        let args = CommandLine.arguments
        guard args.count >= 3, let index = Int(args[1]), checks.indices.contains(index),
              let mode = CheckRecorder.Mode(rawValue: args[2]), isPipe(3) else {
            print("this program runs exercise checks for nbrun check and nbrun grade; run it through nbrun")
            exit(2)
        }
        let recorder = CheckRecorder(mode: mode, descriptor: 3)
        do {
            try checks[index](recorder)
        } catch {
            recorder.end(["threw", "\(error)"])
            exit(0)
        }
        recorder.end(["end", String(recorder.count)])
        exit(0)
    }

    static func isPipe(_ descriptor: Int32) -> Bool {
        var info = stat()
        return fstat(descriptor, &info) == 0 && (info.st_mode & S_IFMT) == S_IFIFO
    }
}
