import XCTest
@testable import KernelCore

/// VMExitReason is not Equatable (the kernel has no use for it); its
/// description names the case and every associated value, so two reasons
/// with the same description are the same.
func XCTAssertReason(_ actual: VMExitReason, _ expected: VMExitReason,
                     file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(String(describing: actual), String(describing: expected), file: file, line: line)
}

/// The whole exit: reason, instruction length, hardware name and code.
func XCTAssertExit(_ exit: VMExit, _ reason: VMExitReason, length: UInt8, name: String, code: UInt64,
                   file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertReason(exit.reason, reason, file: file, line: line)
    XCTAssertEqual(exit.instructionLength, length, "instruction length", file: file, line: line)
    XCTAssertEqual("\(exit.hardwareName)", name, "hardware name", file: file, line: line)
    XCTAssertEqual(exit.hardwareCode, code, "hardware code", file: file, line: line)
}
