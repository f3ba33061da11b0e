import XCTest
import XenPublic
@testable import KernelCore

/// Dom0 as the hypervisor builds it at boot: its start info points at ACPI
/// tables (RSDP, XSDT, MADT) in a memory-map region of type ACPI, and
/// XENMEM_memory_map tells it the same map.
final class Domain0BuilderTests: XCTestCase {
    private var fixture: HypervisorFixture!
    private var dom0: Domain!

    override func setUp() {
        fixture = HypervisorFixture(spareFrames: 420)
        let image = TestElfWriter.pvh(loadAddress: 0x10_0000, code: TestElfWriter.pattern(0x2100), entry: 0x10_0000).build()
        let module = [UInt8](repeating: 0x5A, count: 100)
        dom0 = image.withUnsafeBytes { file in
            module.withUnsafeBytes { moduleBytes in
                let request = Domain0Builder.Request(id: 7, name: "built", isPrivileged: true, image: file,
                                                     memoryBytes: 1 << 20 | 1 << 19, commandLine: Array("quiet".utf8),
                                                     modules: [PVHLoader.Module(bytes: moduleBytes, commandLine: [])])
                return try! Domain0Builder.build(request, on: fixture.hypervisor)
            }
        }
    }

    override func tearDown() {
        dom0.memory.release()
        fixture.release()
    }

    private var startInfo: hvm_start_info {
        dom0.memory.load(hvm_start_info.self, at: dom0.vcpus[0].registers.pointee.rbx)
    }

    private var memoryMap: [hvm_memmap_table_entry] {
        let info = startInfo
        return (0..<Int(info.memmap_entries)).map {
            dom0.memory.load(hvm_memmap_table_entry.self, at: info.memmap_paddr + UInt64($0 * 24))
        }
    }

    func testStartInfoPointsAtTheRSDPInAnACPIRegion() {
        let info = startInfo
        XCTAssertEqual(dom0.vcpus[0].registers.pointee.rbx, 0x10_3000, "the page after the image")
        XCTAssertEqual(info.flags, 3, "privileged, initial domain")
        XCTAssertEqual(info.rsdp_paddr, 0x10_4000, "the page after the start info")
        let tablesEnd = info.rsdp_paddr + 96 + 44 + 8
        let region = memoryMap.first { $0.addr <= info.rsdp_paddr && tablesEnd <= $0.addr + $0.size }
        XCTAssertEqual(region?.type, UInt32(XEN_HVM_MEMMAP_TYPE_ACPI))
        XCTAssertEqual(region?.addr, 0x10_4000)
        XCTAssertEqual(region?.size, 0x1000)
        XCTAssertEqual(dom0.acpiTables, MemoryRange(start: 0x10_4000, end: 0x10_5000))
        let module = dom0.memory.load(hvm_modlist_entry.self, at: info.modlist_paddr)
        XCTAssertEqual(module.paddr, 0x10_5000, "modules after the tables")
    }

    func testTheTablesDescribeDom0sOneVCPU() {
        let reader = ACPITableReader { address, count in self.dom0.memory.bytes(at: address, count: count) }
        let listed = reader.tablesListed(byRSDPAt: startInfo.rsdp_paddr)
        XCTAssertEqual(listed.count, 1)
        let madt = reader.table(at: listed[0])
        XCTAssertEqual(madt.signature, "APIC")
        XCTAssertEqual(madt.length, 52)
        XCTAssertTrue(madt.checksumOK)
        XCTAssertEqual(reader.u32(listed[0] + 36), 0xFEE0_0000)
        XCTAssertEqual(reader.bytes(listed[0] + 44, 8), [0, 8, 0, UInt8(dom0.vcpus[0].localAPIC.id), 1, 0, 0, 0])
    }

    func testTheMemoryMapHypercallAgreesWithTheStartInfo() {
        XCTAssertEqual(memoryMap.map(\.addr), [0, 0x10_4000, 0x10_5000])
        XCTAssertEqual(memoryMap.map(\.size), [0x10_4000, 0x1000, 0x18_0000 - 0x10_5000])
        XCTAssertEqual(memoryMap.map(\.type), [1, 3, 1])

        // A 32-bit guest with paging off (the fixture's state): compat layout.
        let request: UInt64 = 0x1000
        let buffer: UInt64 = 0x2000
        dom0.memory.put(compat_memory_map(nr_entries: 8, buffer: UInt32(buffer)), at: request)
        XCTAssertEqual(fixture.call(dom0, __HYPERVISOR_memory_op, UInt64(XENMEM_memory_map), request), ReturnValue.ok)
        XCTAssertEqual(dom0.memory.load(compat_memory_map.self, at: request).nr_entries, 3)
        let answered = (0..<3).map { dom0.memory.load(xen_e820_entry.self, at: buffer + UInt64($0 * 20)) }
        XCTAssertEqual(answered.map(\.addr), memoryMap.map(\.addr))
        XCTAssertEqual(answered.map(\.size), memoryMap.map(\.size))
        XCTAssertEqual(answered.map(\.type), memoryMap.map(\.type))
    }
}

extension Domain0BuilderTests {
    /// Dom0 drives the disk controller; its vCPU is created with the
    /// bitmap that lets it, and no other domain has one.
    func testDom0GetsTheATAPortsAndItsVCPUTheirBitmap() throws {
        let bitmap = try XCTUnwrap(dom0.ioPortBitmap)
        XCTAssertEqual(bitmap.directPorts, IOPortBitmap.legacyATAPorts)
        XCTAssertTrue(fixture.backend.createdVCPUPortBitmaps.last! === bitmap)
    }
}
