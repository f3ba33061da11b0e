import GuestSupport
import XenPublic

/// The raw hypercall, as the ABI defines it: number in RAX, up to five
/// arguments in RDI, RSI, RDX, R10, R8, the result in RAX, a negative errno
/// on failure. The typed wrappers (`XenVersion`, `ConsoleIO`, `SchedOp`,
/// `HVMParameters`) are built on `checked`.
enum Hypercall {
    /// Calls through the hypercall page for the numbers it has stubs for,
    /// and executes the instruction directly for any other number.
    static func call(_ number: UInt64, _ a1: UInt64 = 0, _ a2: UInt64 = 0, _ a3: UInt64 = 0,
                     _ a4: UInt64 = 0, _ a5: UInt64 = 0) -> Int64 {
        guard number < UInt64(XEN_HYPERCALL_COUNT) else {
            return callDirect(number, a1, a2, a3, a4, a5)
        }
        // Before the page is filled it holds zeros, which are no code.
        guard HypercallPageSetup.isInstalled else { return -Int64(XEN_ENOSYS) }
        return hypercall_through_page(HypercallPageSetup.stubAddress(number), a1, a2, a3, a4, a5)
    }

    /// Executes VMCALL (Intel) or VMMCALL (AMD) with `number` in RAX, all
    /// 64 bits of it, without the page.
    static func callDirect(_ number: UInt64, _ a1: UInt64 = 0, _ a2: UInt64 = 0, _ a3: UInt64 = 0,
                           _ a4: UInt64 = 0, _ a5: UInt64 = 0) -> Int64 {
        switch HypercallInstruction.current {
        case .vmcall: hypercall_vmcall(number, a1, a2, a3, a4, a5)
        case .vmmcall: hypercall_vmmcall(number, a1, a2, a3, a4, a5)
        }
    }

    /// `call`, with a negative result turned into a `HypercallFailure`.
    static func checked(_ number: Int32, _ a1: UInt64 = 0, _ a2: UInt64 = 0, _ a3: UInt64 = 0,
                        _ a4: UInt64 = 0, _ a5: UInt64 = 0) throws(HypercallFailure) -> UInt64 {
        let result = call(UInt64(number), a1, a2, a3, a4, a5)
        if result < 0 { throw HypercallFailure(result: result) }
        return UInt64(result)
    }

    /// A pointer as a hypercall argument: the guest-virtual address, which
    /// in these identity-mapped guests is also the guest-physical one.
    static func argument(_ pointer: UnsafeRawPointer) -> UInt64 {
        UInt64(UInt(bitPattern: pointer))
    }
}
