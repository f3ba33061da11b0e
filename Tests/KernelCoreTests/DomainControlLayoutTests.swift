import XCTest
import XenPublic
@testable import KernelCore

/// Core copies the domain-control structs whole (GuestMemory+Structs), so
/// Swift's view of the C headers must be Xen's layout: these are the sizes
/// and offsets as Swift imports them (AbiLayoutChecks.c checks the C side).
final class DomainControlLayoutTests: XCTestCase {
    func testDomctlHeader() {
        XCTAssertEqual(MemoryLayout<xen_domctl>.offset(of: \xen_domctl.cmd), 0)
        XCTAssertEqual(MemoryLayout<xen_domctl>.offset(of: \xen_domctl.interface_version), 4)
        XCTAssertEqual(MemoryLayout<xen_domctl>.offset(of: \xen_domctl.domain), 8)
        XCTAssertEqual(MemoryLayout<xen_domctl>.offset(of: \xen_domctl.u), 16)
        XCTAssertEqual(MemoryLayout<xen_domctl>.size, 16 + 128, "Xen's 144 bytes")
        XCTAssertLessThanOrEqual(MemoryLayout<xen_domctl_getdomaininfo>.size, 128)
        XCTAssertLessThanOrEqual(MemoryLayout<xen_domctl_createdomain>.size, 128)
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
        XCTAssertEqual(MemoryLayout<vcpu_hvm_x86_64>.size, 112)
        XCTAssertEqual(MemoryLayout<vcpu_hvm_context>.size, 128, "Xen's size: mode, pad, the 32-bit layout")
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
        XCTAssertEqual(MemoryLayout<xen_sysctl>.size, 8 + 128, "Xen's 136 bytes")
    }

    func testArgumentStructSizes() {
        XCTAssertEqual(MemoryLayout<xen_add_to_physmap>.size, 24)
        XCTAssertEqual(MemoryLayout<xen_add_to_physmap>.offset(of: \xen_add_to_physmap.gpfn), 16)
        XCTAssertEqual(MemoryLayout<xen_hvm_param>.size, 16)
        XCTAssertEqual(MemoryLayout<sched_poll>.size, 24)
        XCTAssertEqual(MemoryLayout<sched_poll>.offset(of: \sched_poll.timeout), 16)
        XCTAssertEqual(MemoryLayout<sched_shutdown>.size, 4)
        XCTAssertEqual(MemoryLayout<vcpu_set_singleshot_timer>.size, 16, "the tail padding is copied too")
        XCTAssertEqual(MemoryLayout<xen_memory_map>.size, 16)
        XCTAssertEqual(MemoryLayout<xen_e820_entry>.size, 20, "packed")
        XCTAssertEqual(MemoryLayout<xen_feature_info>.size, 8)
        XCTAssertEqual(MemoryLayout<xen_compile_info>.size, 144)
        XCTAssertEqual(MemoryLayout<xen_platform_parameters>.size, 8)
    }

    /// The 32-bit guests' layouts (xen_compat.h).
    func testCompatStructSizes() {
        XCTAssertEqual(MemoryLayout<compat_memory_map>.size, 8)
        XCTAssertEqual(MemoryLayout<compat_memory_map>.offset(of: \compat_memory_map.buffer), 4)
        XCTAssertEqual(MemoryLayout<compat_add_to_physmap>.size, 16)
        XCTAssertEqual(MemoryLayout<compat_add_to_physmap>.offset(of: \compat_add_to_physmap.gpfn), 12)
        XCTAssertEqual(MemoryLayout<compat_sched_poll>.size, 16)
        XCTAssertEqual(MemoryLayout<compat_sched_poll>.offset(of: \compat_sched_poll.timeout), 8)
        XCTAssertEqual(MemoryLayout<compat_vcpu_set_singleshot_timer>.size, 12)
        XCTAssertEqual(MemoryLayout<compat_vcpu_set_singleshot_timer>.offset(
            of: \compat_vcpu_set_singleshot_timer.flags), 8)
    }
}
