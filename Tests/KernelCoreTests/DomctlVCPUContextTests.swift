import XCTest
import XenPublic
@testable import KernelCore

/// XEN_DOMCTL_setvcpucontext: only the PVH start state is accepted, and a
/// good one gives the paused domain its vCPU 0.
final class DomctlVCPUContextTests: XCTestCase {
    private var fixture: HypervisorFixture!
    private var domain: Domain!
    /// The new domain's RAM: guest frames 0x100 ..< 0x104 (1 MiB + 16 KiB).
    private let entry: UInt32 = 0x10_0000
    private let ramEnd: UInt32 = 0x10_4000

    override func setUp() {
        fixture = HypervisorFixture(spareFrames: 64)
        domain = fixture.createDomain("pvh")
        XCTAssertEqual(fixture.setMaxMem(domain.id, kilobytes: 16), ReturnValue.ok)
        XCTAssertEqual(fixture.populate(domain.id, frames: [0x100, 0x101, 0x102, 0x103]), 4)
    }

    override func tearDown() {
        for domain in fixture.hypervisor.domains where domain.id > 1 { domain.memory.release() }
        fixture.release()
    }

    private func set(_ change: (inout vcpu_hvm_x86_32) -> Void, vcpu: UInt32 = 0) -> UInt64 {
        var context = StartContext.make(entry: entry)
        change(&context.cpu_regs.x86_32)
        return fixture.setStartContext(domain.id, context, vcpu: vcpu)
    }

    private func assertRejected(_ expected: UInt64, _ what: String, vcpu: UInt32 = 0,
                                file: StaticString = #filePath, line: UInt = #line,
                                _ change: (inout vcpu_hvm_x86_32) -> Void) {
        XCTAssertEqual(set(change, vcpu: vcpu), expected, what, file: file, line: line)
        XCTAssertTrue(domain.vcpus.isEmpty, what, file: file, line: line)
        XCTAssertTrue(fixture.backend.createdVCPUs.isEmpty, what, file: file, line: line)
    }

    func testGoodContextCreatesVCPUZero() throws {
        XCTAssertEqual(set { _ in }, ReturnValue.ok)
        XCTAssertEqual(domain.vcpus.count, 1)
        let vcpu = try XCTUnwrap(domain.vcpus.first)
        XCTAssertEqual(vcpu.domainID, domain.id)
        XCTAssertEqual(vcpu.index, 0)
        let registers = vcpu.registers.pointee
        XCTAssertEqual(registers.rax, UInt64(StartContext.eax))
        XCTAssertEqual(registers.rcx, UInt64(StartContext.ecx))
        XCTAssertEqual(registers.rdx, UInt64(StartContext.edx))
        XCTAssertEqual(registers.rbx, UInt64(StartContext.ebx))
        XCTAssertEqual(registers.rbp, UInt64(StartContext.ebp))
        XCTAssertEqual(registers.rsi, UInt64(StartContext.esi))
        XCTAssertEqual(registers.rdi, UInt64(StartContext.edi))
        for value in [registers.r8, registers.r9, registers.r10, registers.r11, registers.r12, registers.r13,
                      registers.r14, registers.r15, registers.reserved] {
            XCTAssertEqual(value, 0)
        }
        let all = [registers.rax, registers.rbx, registers.rcx, registers.rdx, registers.rsi, registers.rdi,
                   registers.rbp]
        XCTAssertFalse(all.contains(UInt64(StartContext.esp)), "ESP is not part of the start state")

        XCTAssertEqual(fixture.backend.createdVCPUs.count, 1)
        XCTAssertEqual(fixture.backend.createdVCPUs.first?.entryPoint, entry)
        XCTAssertEqual(fixture.backend.createdVCPUs.first?.nestedPagingRoot, domain.memory.nestedPageTable.root)
        XCTAssertNotEqual(domain.memory.nestedPageTable.root, fixture.dom0.memory.nestedPageTable.root)
        XCTAssertEqual(domain.state, .paused, "it stays paused until unpaused")
        XCTAssertEqual(fixture.domainInfo(fixture.dom0, domain.id).1.u.getdomaininfo.nr_online_vcpus, 1)
    }

    func testEntryAnywhereInPopulatedRAM() {
        XCTAssertEqual(set { $0.eip = self.ramEnd - 1 }, ReturnValue.ok)
        XCTAssertEqual(fixture.backend.createdVCPUs.last?.entryPoint, ramEnd - 1)
    }

    func testSecondContextReplacesTheVCPU() throws {
        XCTAssertEqual(set { _ in }, ReturnValue.ok)
        let first = try XCTUnwrap(domain.vcpus.first)
        XCTAssertEqual(set { $0.eip = 0x10_2000; $0.ebx = 0x1234 }, ReturnValue.ok)
        XCTAssertEqual(domain.vcpus.count, 1)
        XCTAssertFalse(domain.vcpus[0] === first)
        XCTAssertEqual(domain.vcpus[0].registers.pointee.rbx, 0x1234)
        XCTAssertEqual(fixture.backend.destroyedVCPUs, 1)
        XCTAssertEqual(fixture.backend.createdVCPUs.map(\.entryPoint), [entry, 0x10_2000])
    }

    func testLongModeIsRefused() {
        var context = StartContext.make(entry: entry)
        context.mode = UInt32(VCPU_HVM_MODE_64B)
        XCTAssertEqual(fixture.setStartContext(domain.id, context), ReturnValue.EINVAL)
        context.mode = 2
        XCTAssertEqual(fixture.setStartContext(domain.id, context), ReturnValue.EINVAL)
        XCTAssertTrue(domain.vcpus.isEmpty)
        XCTAssertTrue(fixture.backend.createdVCPUs.isEmpty)
    }

    func testControlRegistersMustBeTheStartState() {
        assertRejected(ReturnValue.EINVAL, "PG set") { $0.cr0 = 0x8000_0011 }
        assertRejected(ReturnValue.EINVAL, "PE clear") { $0.cr0 = 0x10 }
        assertRejected(ReturnValue.EINVAL, "cr0 0") { $0.cr0 = 0 }
        assertRejected(ReturnValue.EINVAL, "cr4 PAE") { $0.cr4 = 0x20 }
        assertRejected(ReturnValue.EINVAL, "cr4 high bit") { $0.cr4 = 0x8000_0000 }
        assertRejected(ReturnValue.EINVAL, "efer LME") { $0.efer = 1 << 8 }
        assertRejected(ReturnValue.EINVAL, "efer high half") { $0.efer = 1 << 40 }
        XCTAssertEqual(set { $0.cr0 = 0x1 }, ReturnValue.ok, "PE alone is fine")
    }

    func testSegmentsMustBeFlat() {
        let bases: [(String, WritableKeyPath<vcpu_hvm_x86_32, UInt32>)] = [
            ("cs_base", \.cs_base), ("ds_base", \.ds_base), ("ss_base", \.ss_base), ("es_base", \.es_base),
            ("tr_base", \.tr_base),
        ]
        for (name, field) in bases {
            assertRejected(ReturnValue.EINVAL, name) { $0[keyPath: field] = 0x1000 }
        }
        let limits: [(String, WritableKeyPath<vcpu_hvm_x86_32, UInt32>)] = [
            ("cs_limit", \.cs_limit), ("ds_limit", \.ds_limit), ("ss_limit", \.ss_limit), ("es_limit", \.es_limit),
        ]
        for (name, field) in limits {
            assertRejected(ReturnValue.EINVAL, name) { $0[keyPath: field] = 0xFFFF_FFFE }
            assertRejected(ReturnValue.EINVAL, name + " 0") { $0[keyPath: field] = 0 }
        }
        XCTAssertEqual(set { $0.tr_limit = 0xFFFF_FFFF }, ReturnValue.ok, "the TSS limit is not checked")
    }

    func testEntryOutsidePopulatedRAMIsEINVAL() {
        assertRejected(ReturnValue.EINVAL, "just past RAM") { $0.eip = self.ramEnd }
        assertRejected(ReturnValue.EINVAL, "just below RAM") { $0.eip = self.entry - 1 }
        assertRejected(ReturnValue.EINVAL, "0") { $0.eip = 0 }
        assertRejected(ReturnValue.EINVAL, "4 GiB - 1") { $0.eip = .max }
    }

    func testEntryInADepopulatedFrameIsEINVAL() {
        XCTAssertEqual(fixture.reservation(fixture.dom0, XENMEM_decrease_reservation, domid: domain.id,
                                           frames: [0x101]), 1)
        assertRejected(ReturnValue.EINVAL, "hole") { $0.eip = 0x10_1800 }
    }

    func testOnlyVCPUZero() {
        assertRejected(ReturnValue.EINVAL, "vcpu 1", vcpu: 1) { _ in }
        assertRejected(ReturnValue.EINVAL, "vcpu max", vcpu: .max) { _ in }
    }

    func testDomainMustBePaused() throws {
        XCTAssertEqual(set { _ in }, ReturnValue.ok)
        XCTAssertEqual(fixture.domctl(fixture.dom0, DomctlRecord.make(XEN_DOMCTL_unpausedomain, domain: domain.id)),
                       ReturnValue.ok)
        XCTAssertEqual(domain.state, .running)
        let vcpu = try XCTUnwrap(domain.vcpus.first)
        XCTAssertEqual(set { $0.ebx = 99 }, ReturnValue.EBUSY)
        XCTAssertTrue(domain.vcpus.count == 1 && domain.vcpus[0] === vcpu, "the running vCPU is left alone")
        XCTAssertEqual(vcpu.registers.pointee.rbx, UInt64(StartContext.ebx))
        XCTAssertEqual(fixture.backend.destroyedVCPUs, 0)
        XCTAssertEqual(fixture.backend.createdVCPUs.count, 1)
        domain.state = .shutdown(reason: 0)
        XCTAssertEqual(set { _ in }, ReturnValue.EBUSY)
    }

    func testBadContextPointerIsEFAULT() {
        let record = DomctlRecord.vcpuContext(domain: domain.id, context: GuestBuffer.outside)
        XCTAssertEqual(fixture.domctl(fixture.dom0, record), ReturnValue.EFAULT)
        let straddling = DomctlRecord.vcpuContext(domain: domain.id, context: HypervisorFixture.memoryBytes - 64)
        XCTAssertEqual(fixture.domctl(fixture.dom0, straddling), ReturnValue.EFAULT)
        XCTAssertTrue(domain.vcpus.isEmpty)
    }

    /// struct vcpu_hvm_context is Xen's 128 bytes: it may end exactly at the
    /// end of RAM, and one byte short is EFAULT.
    func testTheContextIs128Bytes() {
        let end = HypervisorFixture.memoryBytes
        fixture.dom0.memory.put(StartContext.make(entry: entry), at: end - 128)
        XCTAssertEqual(fixture.domctl(fixture.dom0, DomctlRecord.vcpuContext(domain: domain.id, context: end - 127)),
                       ReturnValue.EFAULT)
        XCTAssertTrue(domain.vcpus.isEmpty)
        XCTAssertEqual(fixture.domctl(fixture.dom0, DomctlRecord.vcpuContext(domain: domain.id, context: end - 128)),
                       ReturnValue.ok)
        XCTAssertEqual(domain.vcpus.first?.registers.pointee.rbx, UInt64(StartContext.ebx))
    }

    func testNotForDom0() {
        fixture.dom0.state = .paused
        fixture.dom0.memory.put(StartContext.make(entry: 0x1000), at: GuestBuffer.vcpuContext)
        let record = DomctlRecord.vcpuContext(domain: 0, context: GuestBuffer.vcpuContext)
        XCTAssertEqual(fixture.domctl(fixture.dom0, record), ReturnValue.EINVAL)
        XCTAssertEqual(fixture.dom0.vcpus.count, 1)
        XCTAssertTrue(fixture.backend.createdVCPUs.isEmpty)
    }

    func testBackendFailureIsENOMEM() {
        fixture.backend.createVCPUError = .outOfMemory
        XCTAssertEqual(set { _ in }, ReturnValue.ENOMEM)
        XCTAssertTrue(domain.vcpus.isEmpty)
        XCTAssertEqual(fixture.domctl(fixture.dom0, DomctlRecord.make(XEN_DOMCTL_unpausedomain, domain: domain.id)),
                       ReturnValue.EINVAL)
    }
}
