/// A hypercall as the guest made it: the number and up to five arguments.
///
/// Xen's register convention: in 64-bit mode the number is in RAX and the
/// arguments in RDI, RSI, RDX, R10, R8; a 32-bit guest uses EAX and EBX,
/// ECX, EDX, ESI, EDI. The result goes back in RAX either way.
struct HypercallArguments {
    var number: UInt64
    var arguments: (UInt64, UInt64, UInt64, UInt64, UInt64)

    /// The hypercall's number: RAX, or EAX for a 32-bit guest.
    @inline(__always)
    static func number(in registers: GuestRegisters, longMode: Bool) -> UInt64 {
        longMode ? registers.rax : registers.rax & 0xFFFF_FFFF
    }

    init(registers: GuestRegisters, longMode: Bool) {
        if longMode {
            number = registers.rax
            arguments = (registers.rdi, registers.rsi, registers.rdx, registers.r10, registers.r8)
        } else {
            number = registers.rax & 0xFFFF_FFFF
            arguments = (registers.rbx & 0xFFFF_FFFF, registers.rcx & 0xFFFF_FFFF,
                         registers.rdx & 0xFFFF_FFFF, registers.rsi & 0xFFFF_FFFF,
                         registers.rdi & 0xFFFF_FFFF)
        }
    }

    init(number: UInt64, _ a0: UInt64 = 0, _ a1: UInt64 = 0, _ a2: UInt64 = 0,
         _ a3: UInt64 = 0, _ a4: UInt64 = 0) {
        self.number = number
        arguments = (a0, a1, a2, a3, a4)
    }

    var first: UInt64 { arguments.0 }
    var second: UInt64 { arguments.1 }
    var third: UInt64 { arguments.2 }

    /// Sub-op numbers are 32-bit in Xen's interface ("unsigned int cmd").
    var command: UInt32? {
        first <= UInt64(UInt32.max) ? UInt32(first) : nil
    }
}
