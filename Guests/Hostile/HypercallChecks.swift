import GuestSupport
import XenPublic

/// The error paths: each call is wrong in exactly one way, and the expected
/// result is the hypervisor's documented answer (a negative errno).
/// Raw `Hypercall.call` throughout, so nothing in GuestKit can hide or fix
/// a wrong argument.
enum HypercallChecks {
    /// Not mapped in this guest's page tables (only the first 1 GiB is).
    static let unmappedPointer: UInt64 = 0x0000_7000_0000_0000
    /// Bits 63..47 not all equal: no x86-64 address at all.
    static let nonCanonicalPointer: UInt64 = 0x8000_0000_0000_0000

    static func run(_ tally: inout CheckTally, memoryMap: [MemoryMapEntry]) {
        unknownHypercalls(&tally)
        consoleIO(&tally, memoryMap: memoryMap)
        xenVersion(&tally)
        schedOp(&tally)
        hvmOp(&tally)
    }

    /// Numbers nobody implements, through the instruction itself.
    static func unknownHypercalls(_ tally: inout CheckTally) {
        tally.expect("hypercall 99", got: Hypercall.callDirect(99), expected: -errno(XEN_ENOSYS))
        tally.expect("hypercall 1000", got: Hypercall.callDirect(1000), expected: -errno(XEN_ENOSYS))
        tally.expect("hypercall 0xffffffffffffffff", got: Hypercall.callDirect(UInt64.max),
                     expected: -errno(XEN_ENOSYS))
        // console_io's number plus 2^32: a hypervisor that looks only at
        // EAX would run console_io here (harmlessly: a write of 0 bytes).
        tally.expect("hypercall 0x100000012", got: Hypercall.callDirect(0x1_0000_0000 + UInt64(__HYPERVISOR_console_io)),
                     expected: -errno(XEN_ENOSYS))
    }

    static func consoleIO(_ tally: inout CheckTally, memoryMap: [MemoryMapEntry]) {
        let console = UInt64(__HYPERVISOR_console_io)
        let write = UInt64(CONSOLEIO_write)
        tally.expect("console_io write from an unmapped pointer",
                     got: Hypercall.call(console, write, 16, unmappedPointer), expected: -errno(XEN_EFAULT))
        tally.expect("console_io write from a non-canonical pointer",
                     got: Hypercall.call(console, write, 16, nonCanonicalPointer), expected: -errno(XEN_EFAULT))

        // The last 8 bytes of RAM are backed, the next 8 are not: the
        // hypervisor must check the whole buffer, not just its start. A
        // domU built by dom0 has its console and store pages right after
        // its RAM (outside the memory map, but backed): past those.
        if let ramTop = memoryMap.filter({ $0.isRAM }).map({ $0.end }).max() {
            let backedTop = [HVM_PARAM_CONSOLE_PFN, HVM_PARAM_STORE_PFN].reduce(ramTop) { top, index in
                guard let frame = try? HVMParameters.get(UInt32(index)), frame != 0 else { return top }
                return max(top, (frame + 1) << 12)
            }
            tally.expect("console_io write across the end of RAM",
                         got: Hypercall.call(console, write, 16, backedTop - 8), expected: -errno(XEN_EFAULT))
        } else {
            tally.fail("console_io write across the end of RAM", because: "no RAM in the memory map")
        }

        withScratchBuffer { buffer in
            tally.expect("console_io sub-op 7", got: Hypercall.call(console, 7, 16, buffer),
                         expected: -errno(XEN_ENOSYS))
            // The machine's console input is dom0's: nothing typed yet there,
            // -EPERM for any other domain.
            let isDom0 = ((try? XenVersion.features(submap: 0)) ?? 0) & (1 << UInt32(XENFEAT_dom0)) != 0
            tally.expect("console_io read", got: Hypercall.call(console, UInt64(CONSOLEIO_read), 16, buffer),
                         expected: isDom0 ? 0 : -errno(XEN_EPERM))
        }
    }

    static func xenVersion(_ tally: inout CheckTally) {
        let version = UInt64(__HYPERVISOR_xen_version)
        withScratchBuffer { buffer in
            tally.expect("xen_version sub-op 99", got: Hypercall.call(version, 99, buffer),
                         expected: -errno(XEN_ENOSYS))
        }
        tally.expect("xen_version extraversion into an unmapped pointer",
                     got: Hypercall.call(version, UInt64(XENVER_extraversion), unmappedPointer),
                     expected: -errno(XEN_EFAULT))
    }

    static func schedOp(_ tally: inout CheckTally) {
        withScratchBuffer { buffer in
            tally.expect("sched_op sub-op 99", got: Hypercall.call(UInt64(__HYPERVISOR_sched_op), 99, buffer),
                         expected: -errno(XEN_ENOSYS))
        }
    }

    static func hvmOp(_ tally: inout CheckTally) {
        let selfDomain = domid_t(DOMID_SELF)
        tally.expect("hvm_op get_param index 1000",
                     got: getParameter(domain: selfDomain, index: 1000, operation: HVMOP_get_param),
                     expected: -errno(XEN_EINVAL))
        tally.expect("hvm_op get_param of domain 0x1234",
                     got: getParameter(domain: 0x1234, index: UInt32(HVM_PARAM_STORE_PFN), operation: HVMOP_get_param),
                     expected: -errno(XEN_ESRCH))
        tally.expect("hvm_op sub-op 99",
                     got: getParameter(domain: selfDomain, index: UInt32(HVM_PARAM_STORE_PFN), operation: 99),
                     expected: -errno(XEN_ENOSYS))
    }

    /// hvm_op(`operation`, &xen_hvm_param{domain, index}), the raw result.
    private static func getParameter(domain: domid_t, index: UInt32, operation: Int32) -> Int64 {
        var parameter = xen_hvm_param(domid: domain, pad: 0, index: index, value: 0)
        return withUnsafeMutablePointer(to: &parameter) { pointer in
            Hypercall.call(UInt64(__HYPERVISOR_hvm_op), UInt64(operation), Hypercall.argument(pointer))
        }
    }

    /// A valid 64-byte buffer for checks whose other arguments are wrong,
    /// so that the buffer is never the reason for the error.
    private static func withScratchBuffer(_ body: (UInt64) -> Void) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64, alignment: 16)
        buffer.initializeMemory(as: UInt8.self, repeating: 0)
        body(Hypercall.argument(buffer.baseAddress!))
    }

    private static func errno(_ number: Int32) -> Int64 { Int64(number) }
}
