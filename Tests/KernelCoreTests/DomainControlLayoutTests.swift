import XCTest
import XenPublic
@testable import KernelCore

/// Core reads the domain-control structs at fixed offsets (GuestRecord);
/// these are the offsets it uses, checked against the C headers.
final class DomainControlLayoutTests: XCTestCase {
    func testDomctlHeader() {
        XCTAssertEqual(MemoryLayout<xen_domctl>.offset(of: \xen_domctl.cmd), 0)
        XCTAssertEqual(MemoryLayout<xen_domctl>.offset(of: \xen_domctl.interface_version), 4)
        XCTAssertEqual(MemoryLayout<xen_domctl>.offset(of: \xen_domctl.domain), 8)
        XCTAssertEqual(MemoryLayout<xen_domctl>.offset(of: \xen_domctl.u), DomctlHypercall.payload)
        XCTAssertEqual(MemoryLayout<xen_domctl>.size, 16 + 1024)
        XCTAssertLessThanOrEqual(16 + MemoryLayout<xen_domctl_getdomaininfo>.size, DomctlHypercall.recordSize)
        XCTAssertLessThanOrEqual(16 + MemoryLayout<xen_domctl_createdomain>.size, DomctlHypercall.recordSize)
    }

    func testCreatedomainPayload() {
        typealias T = xen_domctl_createdomain
        XCTAssertEqual(MemoryLayout<T>.offset(of: \T.handle), 4)
        XCTAssertEqual(MemoryLayout<T>.offset(of: \T.flags), 20)
        XCTAssertEqual(MemoryLayout<T>.offset(of: \T.max_vcpus), 28)
    }

    func testGetdomaininfoPayload() {
        typealias T = xen_domctl_getdomaininfo
        XCTAssertEqual(MemoryLayout<T>.offset(of: \T.flags), 4)
        XCTAssertEqual(MemoryLayout<T>.offset(of: \T.tot_pages), 8)
        XCTAssertEqual(MemoryLayout<T>.offset(of: \T.max_pages), 16)
        XCTAssertEqual(MemoryLayout<T>.offset(of: \T.outstanding_pages), 24)
        XCTAssertEqual(MemoryLayout<T>.offset(of: \T.shared_info_frame), 48)
        XCTAssertEqual(MemoryLayout<T>.offset(of: \T.cpu_time), 56)
        XCTAssertEqual(MemoryLayout<T>.offset(of: \T.nr_online_vcpus), 64)
        XCTAssertEqual(MemoryLayout<T>.offset(of: \T.max_vcpu_id), 68)
        XCTAssertEqual(MemoryLayout<T>.offset(of: \T.ssidref), 72)
        XCTAssertEqual(MemoryLayout<T>.offset(of: \T.handle), 76)
        XCTAssertEqual(MemoryLayout<T>.offset(of: \T.cpupool), 92)
        XCTAssertEqual(MemoryLayout<T>.size, 96)
    }

    func testOtherDomctlPayloads() {
        XCTAssertEqual(MemoryLayout<xen_domctl_max_mem>.offset(of: \xen_domctl_max_mem.max_memkb), 0)
        XCTAssertEqual(MemoryLayout<xen_domctl_max_vcpus>.offset(of: \xen_domctl_max_vcpus.max), 0)
        XCTAssertEqual(MemoryLayout<xen_domctl_vcpucontext>.offset(of: \xen_domctl_vcpucontext.vcpu), 0)
        XCTAssertEqual(MemoryLayout<xen_domctl_vcpucontext>.offset(of: \xen_domctl_vcpucontext.ctxt), 8)
    }

    func testVCPUContext() {
        typealias T = vcpu_hvm_x86_32
        XCTAssertEqual(MemoryLayout<vcpu_hvm_context>.offset(of: \vcpu_hvm_context.mode), 0)
        XCTAssertEqual(MemoryLayout<vcpu_hvm_context>.offset(of: \vcpu_hvm_context.cpu_regs), 8)
        XCTAssertEqual(MemoryLayout<T>.offset(of: \T.eax), 0)
        XCTAssertEqual(MemoryLayout<T>.offset(of: \T.ebx), 12)
        XCTAssertEqual(MemoryLayout<T>.offset(of: \T.esp), 16)
        XCTAssertEqual(MemoryLayout<T>.offset(of: \T.edi), 28)
        XCTAssertEqual(MemoryLayout<T>.offset(of: \T.eip), 32)
        XCTAssertEqual(MemoryLayout<T>.offset(of: \T.cr0), 40)
        XCTAssertEqual(MemoryLayout<T>.offset(of: \T.cr4), 48)
        XCTAssertEqual(MemoryLayout<T>.offset(of: \T.efer), 56)
        XCTAssertEqual(MemoryLayout<T>.offset(of: \T.cs_base), 64)
        XCTAssertEqual(MemoryLayout<T>.offset(of: \T.tr_base), 80)
        XCTAssertEqual(MemoryLayout<T>.offset(of: \T.cs_limit), 84)
        XCTAssertEqual(MemoryLayout<T>.offset(of: \T.es_limit), 96)
        XCTAssertEqual(MemoryLayout<T>.size, 120)
    }

    func testMemoryStructs() {
        typealias R = xen_memory_reservation
        XCTAssertEqual(MemoryLayout<R>.offset(of: \R.extent_start), 0)
        XCTAssertEqual(MemoryLayout<R>.offset(of: \R.nr_extents), 8)
        XCTAssertEqual(MemoryLayout<R>.offset(of: \R.extent_order), 16)
        XCTAssertEqual(MemoryLayout<R>.offset(of: \R.domid), 24)
        XCTAssertEqual(MemoryLayout<R>.size, 32)
        typealias B = xen_add_to_physmap_batch
        XCTAssertEqual(MemoryLayout<B>.offset(of: \B.domid), 0)
        XCTAssertEqual(MemoryLayout<B>.offset(of: \B.space), 2)
        XCTAssertEqual(MemoryLayout<B>.offset(of: \B.size), 4)
        XCTAssertEqual(MemoryLayout<B>.offset(of: \B.foreign_domid), 6)
        XCTAssertEqual(MemoryLayout<B>.offset(of: \B.idxs), 8)
        XCTAssertEqual(MemoryLayout<B>.offset(of: \B.gpfns), 16)
        XCTAssertEqual(MemoryLayout<B>.offset(of: \B.errs), 24)
        XCTAssertEqual(MemoryLayout<B>.size, 32)
        XCTAssertEqual(MemoryLayout<xen_remove_from_physmap>.offset(of: \xen_remove_from_physmap.gpfn), 8)
    }

    func testSysctl() {
        typealias P = xen_sysctl_physinfo
        XCTAssertEqual(MemoryLayout<xen_sysctl>.offset(of: \xen_sysctl.u), 8)
        XCTAssertEqual(MemoryLayout<P>.offset(of: \P.total_pages), 32)
        XCTAssertEqual(MemoryLayout<P>.offset(of: \P.free_pages), 40)
        XCTAssertEqual(MemoryLayout<P>.offset(of: \P.max_mfn), 64)
        XCTAssertEqual(MemoryLayout<P>.size, 72)
    }
}
