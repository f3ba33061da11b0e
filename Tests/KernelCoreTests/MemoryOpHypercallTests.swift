import XCTest
import XenPublic
@testable import KernelCore

/// The memory_op sub-ops a guest asks about itself: XENMEM_memory_map (in
/// both guest layouts) and current/maximum_reservation.
final class MemoryOpHypercallTests: XCTestCase {
    private var fixture: HypervisorFixture!
    private var domU: Domain { fixture.domU }
    private let request: UInt64 = 0x4000
    private let entries: UInt64 = 0x5000
    private let end = HypervisorFixture.memoryBytes

    override func setUp() { fixture = HypervisorFixture() }
    override func tearDown() { fixture.release() }

    private func memoryOp(_ command: Int32, _ argument: UInt64) -> UInt64 {
        fixture.call(domU, __HYPERVISOR_memory_op, UInt64(command), argument)
    }

    /// The buffer filled with 0xFF, so what the call wrote shows.
    private func clearEntries() {
        XCTAssertTrue(domU.memory.write([UInt8](repeating: 0xFF, count: 64), at: entries))
    }

    private func firstEntry() -> xen_e820_entry { domU.memory.load(xen_e820_entry.self, at: entries) }

    // MARK: - XENMEM_memory_map

    func testMemoryMapOfA64BitGuest() {
        fixture.enterLongMode()
        clearEntries()
        domU.memory.put(xen_memory_map(nr_entries: 8, pad: 0x5A5A_5A5A, buffer: entries), at: request)
        XCTAssertEqual(memoryOp(XENMEM_memory_map, request), ReturnValue.ok)

        let map = domU.memory.load(xen_memory_map.self, at: request)
        XCTAssertEqual(map.nr_entries, 1, "how many were written")
        XCTAssertEqual(map.pad, 0x5A5A_5A5A, "the rest of the struct comes back as it was")
        XCTAssertEqual(map.buffer, entries)
        let ram = firstEntry()
        XCTAssertEqual(ram.addr, 0)
        XCTAssertEqual(ram.size, HypervisorFixture.memoryBytes)
        XCTAssertEqual(ram.type, UInt32(XEN_HVM_MEMMAP_TYPE_RAM))
        XCTAssertEqual(domU.memory.bytes(at: entries + 20, count: 4), [0xFF, 0xFF, 0xFF, 0xFF], "one 20-byte entry")
    }

    /// A 32-bit guest's compat_memory_map: the buffer pointer is 4 bytes, at 4.
    func testMemoryMapOfA32BitGuest() {
        clearEntries()
        domU.memory.put(compat_memory_map(nr_entries: 3, buffer: UInt32(entries)), at: end - 8)
        XCTAssertEqual(memoryOp(XENMEM_memory_map, end - 8), ReturnValue.ok, "8 bytes at the end of RAM")
        let map = domU.memory.load(compat_memory_map.self, at: end - 8)
        XCTAssertEqual(map.nr_entries, 1)
        XCTAssertEqual(map.buffer, UInt32(entries))
        XCTAssertEqual(firstEntry().size, HypervisorFixture.memoryBytes)
        XCTAssertEqual(firstEntry().type, UInt32(XEN_HVM_MEMMAP_TYPE_RAM))
    }

    func testA64BitGuestsMemoryMapIsSixteenBytes() {
        fixture.enterLongMode()
        domU.memory.put(compat_memory_map(nr_entries: 3, buffer: UInt32(entries)), at: end - 8)
        XCTAssertEqual(memoryOp(XENMEM_memory_map, end - 8), ReturnValue.EFAULT)
        XCTAssertEqual(domU.memory.load(compat_memory_map.self, at: end - 8).nr_entries, 3, "nothing written")
    }

    /// A domain with an ACPI page (dom0's) hears of it here too: the same
    /// three entries as in its start info (DomainMemoryMap).
    func testMemoryMapCutsOutTheACPIPage() {
        fixture.enterLongMode()
        domU.acpiTables = MemoryRange(start: 0x8000, end: 0x9000)
        clearEntries()
        domU.memory.put(xen_memory_map(nr_entries: 8, pad: 0, buffer: entries), at: request)
        XCTAssertEqual(memoryOp(XENMEM_memory_map, request), ReturnValue.ok)
        XCTAssertEqual(domU.memory.load(xen_memory_map.self, at: request).nr_entries, 3)
        let map = (0..<3).map { domU.memory.load(xen_e820_entry.self, at: entries + UInt64($0 * 20)) }
        XCTAssertEqual(map.map(\.addr), [0, 0x8000, 0x9000])
        XCTAssertEqual(map.map(\.size), [0x8000, 0x1000, HypervisorFixture.memoryBytes - 0x9000])
        XCTAssertEqual(map.map(\.type), [1, 3, 1])
        XCTAssertEqual(domU.memory.bytes(at: entries + 60, count: 4), [0xFF, 0xFF, 0xFF, 0xFF], "three entries only")
    }

    /// Fewer entries than the map has: as many as fit, as Xen does.
    func testMemoryMapIsCutToTheBuffer() {
        fixture.enterLongMode()
        domU.acpiTables = MemoryRange(start: 0x8000, end: 0x9000)
        clearEntries()
        domU.memory.put(xen_memory_map(nr_entries: 2, pad: 0, buffer: entries), at: request)
        XCTAssertEqual(memoryOp(XENMEM_memory_map, request), ReturnValue.ok)
        XCTAssertEqual(domU.memory.load(xen_memory_map.self, at: request).nr_entries, 2)
        XCTAssertEqual(domU.memory.load(xen_e820_entry.self, at: entries + 20).type, 3)
        XCTAssertEqual(domU.memory.bytes(at: entries + 40, count: 4), [0xFF, 0xFF, 0xFF, 0xFF])
    }

    func testMemoryMapWithoutRoomIsEINVAL() {
        fixture.enterLongMode()
        clearEntries()
        domU.memory.put(xen_memory_map(nr_entries: 0, pad: 0, buffer: entries), at: request)
        XCTAssertEqual(memoryOp(XENMEM_memory_map, request), ReturnValue.EINVAL)
        XCTAssertEqual(domU.memory.load(xen_memory_map.self, at: request).nr_entries, 0)
        XCTAssertEqual(domU.memory.bytes(at: entries, count: 4), [0xFF, 0xFF, 0xFF, 0xFF])
    }

    func testMemoryMapWithABadBufferIsEFAULT() {
        fixture.enterLongMode()
        domU.memory.put(xen_memory_map(nr_entries: 2, pad: 0, buffer: end - 10), at: request)
        XCTAssertEqual(memoryOp(XENMEM_memory_map, request), ReturnValue.EFAULT)
        XCTAssertEqual(domU.memory.load(xen_memory_map.self, at: request).nr_entries, 2, "not written back")
        XCTAssertEqual(memoryOp(XENMEM_memory_map, end), ReturnValue.EFAULT)
    }

    // MARK: - current_reservation, maximum_reservation

    func testReservationsNameTheDomainWithADomainID() {
        domU.memory.put(domid_t(DOMID_SELF), at: end - 2)
        XCTAssertEqual(memoryOp(XENMEM_current_reservation, end - 2), 256, "a 2-byte domid_t")
        XCTAssertEqual(memoryOp(XENMEM_maximum_reservation, end - 2), 256)
        domU.memory.put(domid_t(0), at: request)
        XCTAssertEqual(memoryOp(XENMEM_current_reservation, request), ReturnValue.EPERM, "another domain")
        XCTAssertEqual(memoryOp(XENMEM_current_reservation, end - 1), ReturnValue.EFAULT)
    }
}
