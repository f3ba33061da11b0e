/// The general registers by the number an instruction encodes them with:
/// 0 RAX, 1 RCX, 2 RDX, 3 RBX, 4 RSP, 5 RBP, 6 RSI, 7 RDI (the ModRM reg
/// and r/m fields, Intel SDM Vol. 2A 2.1.5, tables 2-2 and 2-3), and 8-15
/// R8-R15 with REX.R or REX.B (2.2.1.2). Exit qualifications (VMX) and
/// decode assists (SVM) name registers the same way.
///
/// Number 4, RSP, is not in `GuestRegisters`: the hardware keeps it in the
/// VMCS or VMCB, so these accessors answer nil for it and the caller asks
/// the backend (see `InstructionRegisters`).
extension GuestRegisters {
    static let stackPointerNumber: UInt8 = 4

    func value(encoded number: UInt8) -> UInt64? {
        switch number & 15 {
        case 0: rax
        case 1: rcx
        case 2: rdx
        case 3: rbx
        case 4: nil
        case 5: rbp
        case 6: rsi
        case 7: rdi
        case 8: r8
        case 9: r9
        case 10: r10
        case 11: r11
        case 12: r12
        case 13: r13
        case 14: r14
        default: r15
        }
    }

    /// Writes register `number`; returns false (and writes nothing) for RSP.
    @discardableResult
    mutating func set(encoded number: UInt8, to value: UInt64) -> Bool {
        switch number & 15 {
        case 0: rax = value
        case 1: rcx = value
        case 2: rdx = value
        case 3: rbx = value
        case 4: return false
        case 5: rbp = value
        case 6: rsi = value
        case 7: rdi = value
        case 8: r8 = value
        case 9: r9 = value
        case 10: r10 = value
        case 11: r11 = value
        case 12: r12 = value
        case 13: r13 = value
        case 14: r14 = value
        default: r15 = value
        }
        return true
    }
}
