import Testing
import ArgumentParser
@testable import NBRunCLI

@Test func versionIsSemantic() {
    let parts = NBRun.version.split(separator: ".")
    #expect(parts.count == 3)
    #expect(parts.allSatisfy { Int($0) != nil })
}

@Test func helpNamesTheTool() {
    let help = NBRun.helpMessage()
    #expect(help.contains("nbrun"))
    #expect(help.contains("--version"))
}
