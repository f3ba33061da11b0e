/// A vCPU's x87, MMX and SSE registers while it is not running, in the
/// 512-byte FXSAVE format (Intel SDM Vol. 1, 10.5.1; AMD APM Vol. 5,
/// FXSAVE). The backends' entry stubs load it with FXRSTOR64 right before
/// the guest runs and store it with FXSAVE64 right after it exits, on VMX
/// and on SVM alike.
///
/// Why it is needed: neither VM entry nor VMRUN switches these registers,
/// and the hypervisor's own Swift code uses XMM registers (a vectorized
/// memcpy, for one). Without the switch a guest would find hypervisor
/// values, hypervisor addresses among them, in its XMM registers after a
/// hypercall, and one domain would see another's after a switch.
///
/// The area belongs to the vCPU (Core), so it survives whichever backend
/// object runs the vCPU; its address never changes.
struct FloatingPointState {
    static let byteCount = 512
    /// FXSAVE/FXRSTOR fault on an area that is not 16-byte aligned.
    static let alignment = 16

    let area: UnsafeMutableRawPointer

    /// The state after RESET/INIT (SDM Vol. 1, table 9-1 and 11.6.4): FCW
    /// 037Fh and MXCSR 1F80h mask every floating-point exception; a zero
    /// abridged tag word marks all x87 registers empty; everything else 0.
    init() {
        area = UnsafeMutableRawPointer.allocate(byteCount: Self.byteCount, alignment: Self.alignment)
        area.initializeMemory(as: UInt8.self, repeating: 0, count: Self.byteCount)
        area.storeBytes(of: UInt16(0x037F), toByteOffset: 0, as: UInt16.self)
        area.storeBytes(of: UInt32(0x1F80), toByteOffset: 24, as: UInt32.self)
    }

    /// x87 control word (FCW), offset 0.
    var controlWord: UInt16 { area.load(fromByteOffset: 0, as: UInt16.self) }
    /// MXCSR, offset 24.
    var mxcsr: UInt32 { area.load(fromByteOffset: 24, as: UInt32.self) }
    /// XMM register `index` (0-15), 16 bytes from offset 160.
    func xmm(_ index: Int) -> (low: UInt64, high: UInt64) {
        (area.load(fromByteOffset: 160 + index * 16, as: UInt64.self),
         area.load(fromByteOffset: 168 + index * 16, as: UInt64.self))
    }

    func release() { area.deallocate() }
}
