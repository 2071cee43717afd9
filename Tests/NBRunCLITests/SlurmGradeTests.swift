import Testing
import Foundation

/// End to end: `scripts/slurm-grade.sh` grades a class as a real Slurm job array on a
/// single-node Slurm (munged, slurmctld, slurmd) it starts and stops itself, then merges
/// the shards. Where Slurm or MUNGE is missing or does not come up, the script exits 77
/// and the test says why and passes.
@Suite(.serialized) struct SlurmGradeTests {
    static let script = RunCommandTests.packageRoot.appendingPathComponent("scripts/slurm-grade.sh")

    /// The script run in `dir` with the environment the CLI tests give `nbrun`.
    func slurmGrade(_ dir: URL, _ arguments: [String]) throws -> (status: Int32, output: String) {
        try GradeCommandTests.launch(URL(fileURLWithPath: "/bin/bash"), [Self.script.path] + arguments, in: dir)
    }

    @Test(.timeLimit(.minutes(10)))
    func gradingShardsAsASlurmJobArrayGivesTheSameGradebook() throws {
        let grade = GradeCommandTests()
        let dir = try grade.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try grade.write(GradeCommandTests.solution, dir, "subs/ann/ex-square.swift")
        try grade.write("import NotebookRuntime\nfunc square(_ x: Float) -> Float { abs(x) < 100 ? x * x : 0 }\n", dir, "subs/ben/ex-square.swift")
        try grade.write("import NotebookRuntime\nfunc square(_ x: Float) -> Float { while true {} }\n", dir, "subs/cat/ex-square.swift")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("subs/dan"), withIntermediateDirectories: true)

        let whole = try grade.nbrun(dir, ["grade", "book", "--submissions", "subs", "--out", "whole/grades.csv", "--timeout", "2"])
        #expect(whole.status == 0, "\(whole.output)")
        let expected = grade.read(dir, "whole/grades.csv")
        // What the grades are is GradeCommandTests' business; here, that every student is in it.
        #expect(expected.hasPrefix("student,total,possible,ex-square\n") && expected.split(separator: "\n").count == 5, "\(expected)")

        let started = Date()
        let slurm = try slurmGrade(dir, [RunCommandTests.nbrun.path, "book", "subs", "slurm", "3", "--timeout", "2"])
        let seconds = Int(Date().timeIntervalSince(started).rounded())
        if slurm.status == 77 {
            let line = slurm.output.split(separator: "\n").first { $0.hasPrefix("SKIP:") } ?? "SKIP: exit status 77"
            print("skipped: \(line.dropFirst("SKIP:".count).trimmingCharacters(in: .whitespaces))")
            return
        }
        print("slurm-grade.sh (\(seconds) s):\n\(slurm.output)")
        #expect(slurm.status == 0, "\(slurm.output)")
        #expect(slurm.output.contains("job array") && slurm.output.contains("3 tasks"), "\(slurm.output)")
        for i in 1...3 {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("slurm/part-\(i).json").path))
        }
        #expect(grade.read(dir, "slurm/grades.csv") == expected)
    }
}
