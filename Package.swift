// swift-tools-version:6.0
import PackageDescription

/// Release builds of the numeric code are compiled for x86-64-v3 (AVX2 and FMA,
/// every x86 server CPU since 2015). Not -Ounchecked: that would drop the
/// shape checks whose messages users rely on.
var cpuFlags: [String] = []
#if arch(x86_64)
cpuFlags = ["-march=x86-64-v3"]
#endif
let numericFlags = cpuFlags.flatMap { ["-Xcc", $0] }

/// The numeric modules are optimised in debug builds too: their tests train
/// real models, which unoptimised code runs ten times slower.
let numericSettings: [SwiftSetting] = [
    .unsafeFlags(numericFlags, .when(configuration: .release)),
    .unsafeFlags(["-O"] + numericFlags, .when(configuration: .debug)),
]

let package = Package(
    name: "nbrun",
    products: [
        // What compiled notebooks link: the numeric modules as one dynamic library.
        .library(name: "NBFlows", type: .dynamic, targets: ["Tensors", "Flows", "NotebookRuntime", "Plots", "CheckRuntime", "CheckReports", "NotebookChannel", "StableText"]),
        .executable(name: "nbrun", targets: ["nbrun"]),
        .executable(name: "flows-bench", targets: ["flows-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        // `nbrun serve`'s HTTP and WebSocket server: small, no SwiftNIO.
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
    ],
    targets: [
        // System libraries (Debian: libcmark-dev, libopenblas-dev).
        .systemLibrary(name: "CCmark", pkgConfig: "libcmark",
                       providers: [.apt(["libcmark-dev"])]),
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        // zlib for PNG's deflate and CRC-32 (Debian: zlib1g-dev).
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),

        // Hot elementwise loops in C (vectorised with `restrict`).
        .target(name: "CKernels", cSettings: [.unsafeFlags(["-O3", "-fno-math-errno"] + cpuFlags)]),

        // Numerics: tensors, kernels, autodiff, neural-network parts, optimisers.
        .target(name: "Tensors", dependencies: ["CBLAS", "CKernels"], swiftSettings: numericSettings),

        // The flow library: bijectors, flows, distributions, datasets, training, metrics.
        .target(name: "Flows", dependencies: ["Tensors"], swiftSettings: numericSettings),

        // What a compiled chapter links besides the flow library: cell
        // boundaries, displays, glue, progress.
        .target(name: "NotebookRuntime", dependencies: ["Flows", "Plots", "NotebookChannel", "StableText"]),
        // What a compiled chapter and the chapter runner say to each other: one definition for both sides.
        .target(name: "NotebookChannel"),
        // What compiled exercise checks link, inside the check's process: assertions and the check harness.
        .target(name: "CheckRuntime", dependencies: ["Tensors", "CheckReports"]),
        // The report a check program sends the grader: one format for both sides.
        .target(name: "CheckReports"),

        // Executing chapters: cells -> one Swift program -> compiled, run, limited -> outputs per cell.
        .target(name: "ChapterExecution", dependencies: ["Diagnostics", "NotebookChannel", "Plumbing", "StableText"]),

        // The one kind of problem report (severity, code, file:line:column, message, hint).
        .target(name: "Diagnostics"),
        // Written once, for the engine's side: the lock box, parallel jobs, the status line, running programs.
        .target(name: "Plumbing"),
        // Written once, for both sides (in the flow library too): the stable hash and markup escaping.
        .target(name: "StableText"),

        // Figures: SVG for vector plots, PNG for rasters; plain arrays in, no tensors.
        .target(name: "Plots", dependencies: ["CZlib", "StableText"]),

        // Pages: documents and outputs -> HTML, LaTeX -> MathML, highlighting.
        .target(name: "Publishing", dependencies: ["MyST", "ChapterExecution", "StableText"], resources: [.copy("Assets")]),

        // Documents: MyST markdown -> typed document with source ranges.
        .target(name: "MyST", dependencies: ["CCmark", "Diagnostics", .product(name: "Yams", package: "Yams")]),

        // Exercises, on the grader's side: student files, checks run in jails of their own, grades.
        .target(name: "Grading", dependencies: ["MyST", "ChapterExecution", "CheckReports", "NotebookChannel", "Plumbing", "StableText"]),

        // A course project loaded once and the build as named steps: what every command calls.
        .target(name: "Course", dependencies: ["MyST", "ChapterExecution", "Publishing", "Grading", "Plumbing", "StableText"]),

        // The author's live preview: files watched, the course rebuilt, pages served with a live script.
        .target(name: "Preview", dependencies: ["Course", "ChapterExecution", "Plumbing", "StableText",
                                                .product(name: "FlyingFox", package: "FlyingFox")]),

        // The command line: each subcommand parses its options and calls `Course`; `nbrun` stays tiny.
        .target(name: "NBRunCLI", dependencies: [
            "Course", "Preview", "MyST", "ChapterExecution", "Publishing", "Grading", "Plumbing",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "nbrun", dependencies: ["NBRunCLI", "Plumbing"]),

        .executableTarget(name: "flows-bench", dependencies: ["Flows", "CKernels", "CBLAS"],
                          path: "Benchmarks/flows-bench"),

        .testTarget(name: "TensorsTests", dependencies: ["Tensors"]),
        .testTarget(name: "FlowsTests", dependencies: ["Flows"]),
        .testTarget(name: "ChapterExecutionTests", dependencies: ["ChapterExecution"]),
        .testTarget(name: "PublishingTests", dependencies: ["Publishing", "MyST", "ChapterExecution", "StableText"], exclude: ["Fixtures"]),
        .testTarget(name: "PlotsTests", dependencies: ["Plots", "CZlib"], exclude: ["Snapshots"]),
        .testTarget(name: "MySTTests", dependencies: ["MyST"], exclude: ["Fixtures", "Tools"]),
        .testTarget(name: "GradingTests", dependencies: ["Grading", "ChapterExecution", "MyST", "CheckReports"]),
        .testTarget(name: "PreviewTests", dependencies: ["Preview", "Course", "ChapterExecution"]),
        .testTarget(name: "NBRunCLITests", dependencies: [
            "NBRunCLI", "Course", "Preview", "Grading", "MyST", "Publishing", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], exclude: ["Recorded"]),
    ],
    swiftLanguageModes: [.v5]
)
