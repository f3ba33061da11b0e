/// A vCPU's general registers as an emulated instruction sees them, by
/// encoded number (`GuestRegisters+Encoding`): fifteen live in
/// `vcpu.registers`, RSP in the backend's VMCS or VMCB.
struct InstructionRegisters {
    let vcpu: VCPU
    let backend: VirtualizationBackend

    func value(of number: UInt8) -> UInt64 {
        vcpu.registers.pointee.value(encoded: number) ?? backend.controlState(vcpu).rsp
    }

    /// Writes `value` into the part of the register `operand` names, with
    /// the architecture's zero-extension and merging (`RegisterOperand`).
    func write(_ value: UInt64, to operand: RegisterOperand) {
        let new = operand.written(value, into: self.value(of: operand.number))
        if !vcpu.registers.pointee.set(encoded: operand.number, to: new) {
            backend.setStackPointer(vcpu, new)
        }
    }
}
