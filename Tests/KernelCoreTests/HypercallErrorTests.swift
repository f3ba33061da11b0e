import XCTest
import XenPublic
@testable import KernelCore

/// HypercallError takes its numbers from xen_errno.h by construction; what
/// construction does not guarantee is that each case has a number of its own,
/// so that a guest can tell every failure apart.
final class HypercallErrorTests: XCTestCase {
    func testEveryCaseHasItsOwnErrno() {
        let numbers = HypercallError.allCases.map(\.errno)
        XCTAssertEqual(Set(numbers).count, numbers.count, "two cases share an errno: \(numbers)")
    }

    func testTheGuestFindsTheNegatedErrno() {
        for error in HypercallError.allCases {
            XCTAssertGreaterThan(error.errno, 0, "\(error)")
            XCTAssertEqual(error.returnValue, UInt64(bitPattern: -error.errno), "\(error)")
        }
    }

    /// EACCES is in the header for the kernel's sake: Linux's 13, as guests
    /// built for Xen expect it.
    func testVersionMismatchIsEACCES() {
        XCTAssertEqual(XEN_EACCES, 13)
        XCTAssertEqual(HypercallError.versionMismatch.errno, Int64(XEN_EACCES))
    }
}
