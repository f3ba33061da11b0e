@testable import KernelCore

/// A VMCB in host memory. The real one is ordinary memory too (APM 15.5):
/// the SVM code reads it with loads, so a host page is all the fake needs.
final class FakeVMCB {
    let page = UnsafeMutableRawPointer.allocate(byteCount: 4096, alignment: 4096)

    init() {
        page.initializeMemory(as: UInt8.self, repeating: 0, count: 4096)
    }

    deinit { page.deallocate() }

    var vmcb: VMCB { VMCB(physicalAddress: UInt64(UInt(bitPattern: page))) }

    /// Sets the exit fields the hardware writes at #VMEXIT.
    func exit(code: UInt64, info1: UInt64 = 0, info2: UInt64 = 0, interruptInfo: UInt64 = 0, rip: UInt64 = 0) -> VMCB {
        vmcb.write64(VMCB.exitCode, code)
        vmcb.write64(VMCB.exitInfo1, info1)
        vmcb.write64(VMCB.exitInfo2, info2)
        vmcb.write64(VMCB.exitInterruptInfo, interruptInfo)
        vmcb.write64(VMCB.rip, rip)
        return vmcb
    }
}
