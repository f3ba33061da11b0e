import XCTest
import XenPublic
@testable import KernelCore

final class XenVersionHypercallTests: XCTestCase {
    private var fixture: HypervisorFixture!
    private let buffer: UInt64 = 0x3000

    override func setUp() { fixture = HypervisorFixture(commandLine: "console=com1 dom0_mem=64M") }
    override func tearDown() { fixture.release() }

    private func version(_ domain: Domain, _ command: Int32, _ argument: UInt64? = nil) -> UInt64 {
        fixture.call(domain, __HYPERVISOR_xen_version, UInt64(UInt32(bitPattern: command)), argument ?? buffer)
    }

    private func fixed(_ text: String, _ size: Int) -> [UInt8] {
        Array(text.utf8) + [UInt8](repeating: 0, count: size - text.utf8.count)
    }

    func testVersion() {
        XCTAssertEqual(version(fixture.domU, XENVER_version), 0x4_0013)
    }

    func testExtraVersion() {
        XCTAssertTrue(fixture.domU.memory.write([UInt8](repeating: 0xFF, count: 17), at: buffer))
        XCTAssertEqual(version(fixture.domU, XENVER_extraversion), 0)
        XCTAssertEqual(fixture.domU.memory.bytes(at: buffer, count: 17), fixed(".0-swift", 16) + [0xFF])
    }

    func testCapabilities() {
        XCTAssertEqual(version(fixture.domU, XENVER_capabilities), 0)
        assertBytesEqual(fixture.domU.memory.bytes(at: buffer, count: 1024),
                         fixed("hvm-3.0-x86_64 hvm-3.0-x86_32 hvm-3.0-x86_32p", 1024))
    }

    /// struct xen_feature_info: the guest's submap_idx, the submap back.
    private func features(_ domain: Domain, submap index: UInt32, at address: UInt64? = nil) -> (UInt64, xen_feature_info) {
        let address = address ?? buffer
        domain.memory.put(xen_feature_info(submap_idx: index, submap: 0xFFFF_FFFF), at: address)
        let result = version(domain, XENVER_get_features, address)
        return (result, domain.memory.load(xen_feature_info.self, at: address))
    }

    func testGetFeatures() {
        let (result, info) = features(fixture.domU, submap: 0)
        XCTAssertEqual(result, 0)
        XCTAssertEqual(info.submap_idx, 0)
        XCTAssertEqual(info.submap, 0x305, "writable page tables, auto-translated physmap, callback vector, safe pvclock")

        XCTAssertEqual(features(fixture.dom0, submap: 0).1.submap, 0xB05, "dom0 bit 11")
        let other = features(fixture.dom0, submap: 1)
        XCTAssertEqual(other.1.submap_idx, 1)
        XCTAssertEqual(other.1.submap, 0, "submap 1 is empty")
    }

    func testGetFeaturesReadsAndWritesTheWholeStruct() {
        let end = HypervisorFixture.memoryBytes
        XCTAssertEqual(features(fixture.domU, submap: 0, at: end - 8).1.submap, 0x305)
        XCTAssertEqual(version(fixture.domU, XENVER_get_features, end - 4), ReturnValue.EFAULT)
    }

    func testCompileInfo() {
        XCTAssertTrue(fixture.domU.memory.write([UInt8](repeating: 0xFF, count: 145), at: buffer))
        XCTAssertEqual(version(fixture.domU, XENVER_compile_info), 0)
        let info = fixture.domU.memory.load(xen_compile_info.self, at: buffer)
        XCTAssertEqual(withUnsafeBytes(of: info.compiler) { Array($0) }, fixed("swiftc (Embedded Swift)", 64))
        XCTAssertEqual(withUnsafeBytes(of: info.compile_by) { Array($0) }, fixed("", 16))
        XCTAssertEqual(withUnsafeBytes(of: info.compile_domain) { Array($0) }, fixed("", 32))
        XCTAssertEqual(withUnsafeBytes(of: info.compile_date) { Array($0) }, fixed("", 32))
        XCTAssertEqual(fixture.domU.memory.bytes(at: buffer + 144, count: 1), [0xFF], "144 bytes, no more")
    }

    func testPlatformParameters() {
        XCTAssertTrue(fixture.domU.memory.write([UInt8](repeating: 0xFF, count: 9), at: buffer))
        XCTAssertEqual(version(fixture.domU, XENVER_platform_parameters), 0)
        XCTAssertEqual(fixture.domU.memory.load(xen_platform_parameters.self, at: buffer).virt_start, 0)
        XCTAssertEqual(fixture.domU.memory.bytes(at: buffer + 8, count: 1), [0xFF])
    }

    func testPageSize() {
        XCTAssertEqual(version(fixture.domU, XENVER_pagesize), 4096)
    }

    func testCommandLineOnlyForThePrivileged() {
        XCTAssertEqual(version(fixture.dom0, XENVER_commandline), 0)
        assertBytesEqual(fixture.dom0.memory.bytes(at: buffer, count: 1024), fixed("console=com1 dom0_mem=64M", 1024))

        XCTAssertEqual(version(fixture.domU, XENVER_commandline), ReturnValue.EPERM)
        XCTAssertEqual(fixture.domU.memory.bytes(at: buffer, count: 16), [UInt8](repeating: 0, count: 16))
    }

    func testGuestHandleIsTheOneCreatedomainWasGiven() throws {
        let guest = try XCTUnwrap(fixture.createDomain("handled"))
        defer { guest.memory.release() }
        XCTAssertEqual(guest.handle, DomctlRecord.handle("handled"))
        guest.vcpus.append(VCPU(domainID: guest.id, index: 0))
        XCTAssertEqual(fixture.setMaxMem(guest.id, kilobytes: 16), ReturnValue.ok)
        XCTAssertEqual(fixture.populate(guest.id, frames: [0, 1, 2, 3]), 4)
        XCTAssertTrue(guest.memory.write([UInt8](repeating: 0xFF, count: 17), at: 0x3000))
        XCTAssertEqual(version(guest, XENVER_guest_handle, 0x3000), 0)
        XCTAssertEqual(guest.memory.bytes(at: 0x3000, count: 17), DomctlRecord.handle("handled") + [0xFF])
    }

    func testGuestHandleOfDom0IsZeros() {
        XCTAssertTrue(fixture.dom0.memory.write([UInt8](repeating: 0xFF, count: 16), at: buffer))
        XCTAssertEqual(version(fixture.dom0, XENVER_guest_handle), 0)
        XCTAssertEqual(fixture.dom0.memory.bytes(at: buffer, count: 16), [UInt8](repeating: 0, count: 16))
    }

    func testUnknownSubOp() {
        XCTAssertEqual(version(fixture.domU, 10), ReturnValue.ENOSYS)
        XCTAssertEqual(version(fixture.domU, -1), ReturnValue.ENOSYS)
    }

    func testBadBuffer() {
        XCTAssertEqual(version(fixture.domU, XENVER_extraversion, HypervisorFixture.memoryBytes - 8), ReturnValue.EFAULT)
        XCTAssertEqual(fixture.domU.memory.bytes(at: HypervisorFixture.memoryBytes - 8, count: 8), [UInt8](repeating: 0, count: 8))
        XCTAssertEqual(version(fixture.domU, XENVER_get_features, 0x1_0000_0000), ReturnValue.EFAULT)
    }

    func testFixedString() {
        XCTAssertEqual(XenVersionHypercall.fixedString("abcdef", size: 4), Array("abc".utf8) + [0])
        XCTAssertEqual(XenVersionHypercall.fixedString("", size: 2), [0, 0])
    }
}
