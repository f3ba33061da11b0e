import XCTest
@testable import KernelCore

extension DomainMemory {
    /// Guest-physical bytes, read one by one through the P2M (test only).
    func bytes(at guestPhysical: UInt64, count: Int) -> [UInt8] {
        (0..<UInt64(count)).map { offset in
            guard let host = hostAddress(of: guestPhysical + offset) else {
                XCTFail("guest-physical \(guestPhysical + offset) is outside the domain")
                return 0
            }
            return physicalMemory.pointer(host).load(as: UInt8.self)
        }
    }

    /// One guest page-table entry (or any 64-bit value) at `table + index * 8`.
    func setEntry(table: UInt64, index: UInt64, _ entry: UInt64) {
        XCTAssertTrue(write(le(entry), at: table + index * 8))
    }

    /// A C struct read from guest-physical memory.
    func load<T>(_ type: T.Type, at guestPhysical: UInt64) -> T {
        bytes(at: guestPhysical, count: MemoryLayout<T>.size).withUnsafeBytes { $0.loadUnaligned(as: T.self) }
    }
}
