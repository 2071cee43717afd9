import ArgumentParser

/// The `nbrun` command: a literate-notebook engine for Swift.
///
/// Each subcommand lives in its own file as an extension of this type.
public struct NBRun: ParsableCommand {
    public static let version = "0.1.0"

    public static let configuration = CommandConfiguration(
        commandName: "nbrun",
        abstract: "Build executable Swift notebooks written in MyST markdown into a course site.",
        discussion: """
            nbrun reads MyST markdown chapters with `{code-cell} swift` cells, runs the \
            cells against the flow library and writes a static HTML site.
            """,
        version: version,
        subcommands: [Build.self, Serve.self, Run.self, Exercises.self, Release.self, Check.self, Grade.self, Parse.self]
    )

    public init() {}
}
