import ArgumentParser
import Course
import Foundation

/// The exercises of the project in `folder` for `exercises`, `check` and
/// `grade`; a project that cannot be loaded ends the command with its error.
func loadExercises(_ folder: String) throws -> (CourseExercises, [Diagnostic]) {
    do { return try CourseExercises.load(folder) } catch let error as CourseProject.LoadError {
        printError(error.description)
        throw ExitCode(1)
    }
}

/// A line on standard error.
func printError(_ s: String) {
    FileHandle.standardError.write(Data((s + "\n").utf8))
}
