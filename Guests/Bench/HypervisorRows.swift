import GuestSupport
import XenPublic

/// The rows that leave the guest for the hypervisor and come straight
/// back: an exit that is no hypercall (CPUID, an I/O port), and hypercalls
/// that do little (an unknown number, xen_version, a yield with nothing
/// else to run).
enum HypervisorRows {
    /// A hypercall number no hypervisor implements (Xen's table ends far
    /// below it), still within the hypercall page's 128 stubs.
    private static let unknownHypercall: UInt64 = 99

    /// The I/O port read: 0xCF8, the PCI configuration address register,
    /// as a 32-bit IN. It exits under both hypervisors: ours gives dom0
    /// only the legacy ATA ports (Kernel/Core/IOPortBitmap.swift) and
    /// answers every other port itself; Xen keeps 0xCF8-0xCFF from a PVH
    /// dom0's I/O bitmap and emulates the configuration mechanism (it
    /// owns PCI configuration space), so the read is an exit there too.
    /// Reading the address register has no side effect on any device.
    private static let exitingPort: UInt16 = 0xCF8

    static func run(_ timing: TimingRow) {
        TimingRow.printRow("cpuid", timing.loopValues { _ = cpuid(0x4000_0000, 0) },
                           "CPUID leaf 0x40000000: an exit to the hypervisor and back")
        let unknown = Hypercall.call(unknownHypercall)
        if unknown == -Int64(XEN_ENOSYS) {
            TimingRow.printRow("null-hypercall", timing.loopValues { _ = Hypercall.call(unknownHypercall) },
                               "hypercall 99 through the hypercall page: unknown, -ENOSYS")
        } else {
            TimingRow.skip("null-hypercall", "hypercall 99 returned \(unknown), not -ENOSYS")
        }
        TimingRow.printRow("xen-version", timing.loopValues {
            _ = Hypercall.call(UInt64(__HYPERVISOR_xen_version), UInt64(XENVER_version))
        }, "xen_version(XENVER_version) through the hypercall page")
        TimingRow.printRow("io-port", timing.loopValues { _ = port_read32(exitingPort) },
                           "32-bit IN from port 0xCF8 (PCI config address): an I/O port exit")
        do throws(HypercallFailure) {
            try SchedOp.yield()
            TimingRow.printRow("yield", timing.loopValues { try? SchedOp.yield() },
                               "sched_op(SCHEDOP_yield) with no other vCPU runnable")
        } catch {
            TimingRow.skip("yield", "SCHEDOP_yield failed: \(error.name) (\(error.result))")
        }
    }
}
