// libFuzzer entry point for the MyST parser; built by fuzz.sh, not by SwiftPM.
// Each input is parsed as a chapter and exported as mdast; any crash, hang or
// sanitizer report is a finding.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMyST(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let document = Document.parse(bytes: bytes, file: "fuzz.md")
    _ = MDASTExporter(includePositions: true).export(document).serialized()
    _ = document.codeCells.count + document.exercises.count + document.diagnostics.count
    return 0
}
