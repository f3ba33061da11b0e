import XCTest

/// Compares byte buffers and, when they differ, reports the first
/// differing offset instead of printing thousands of bytes.
func assertBytesEqual(_ actual: [UInt8], _ expected: [UInt8], _ message: String = "",
                      file: StaticString = #filePath, line: UInt = #line) {
    guard actual != expected else { return }
    guard actual.count == expected.count else {
        return XCTFail("\(message) \(actual.count) bytes, expected \(expected.count)", file: file, line: line)
    }
    let offset = actual.indices.first { actual[$0] != expected[$0] }!
    XCTFail("\(message) byte \(offset) is \(actual[offset]), expected \(expected[offset])", file: file, line: line)
}
