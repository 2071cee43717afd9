import Testing
@testable import MyST

@Test func formatVersionIsPositive() {
    #expect(MyST.formatVersion > 0)
}
