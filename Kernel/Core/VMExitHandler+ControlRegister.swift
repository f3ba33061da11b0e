/// MOV to and from control registers, on both vendors. Which accesses exit
/// differs: SVM intercepts only MOV to CR4 (every one); VMX exits on a MOV
/// to CR4 that sets a bit guests may not set, on a MOV to CR0 that changes
/// a bit the hypervisor owns (VMXControlRegisters), and on MOV to or from
/// CR3 where the CPU forces CR3 exiting. Each reaches Core, is counted like
/// any exit, and is done through the backend (`writeControlRegister`):
/// Core decides CR4 with `ControlRegister4Policy`, and a refused value
/// gets #GP(0) as from a CPU that refuses it.
extension VMExitHandler {
    func controlRegisterWrite(_ number: UInt8, sourceRegister: UInt8?, _ exit: VMExit) -> ExitOutcome {
        guard number == 0 || number == 3 || number == 4 else { return .crash("MOV to CR\(number) (not emulated)") }
        let fetch = instructionFetchState
        let state = fetch.control
        let source: UInt8
        let length: UInt8
        if let sourceRegister {
            source = sourceRegister
            length = exit.instructionLength
        } else {
            // Without decode assists the hardware says only which register was written.
            do {
                let instruction = try GuestInstruction.decode(fetch, in: domain.memory)
                guard case .moveToControlRegister(let target, let register) = instruction.operation,
                      target == number else {
                    return .crash("CR\(number) write exit at an instruction that is no MOV to CR\(number) (not emulated)")
                }
                source = register
                length = instruction.length
            } catch {
                return .crash("MOV to CR\(number): \(error.description) (not emulated)")
            }
        }
        // Outside 64-bit mode the operand is the register's low 32 bits.
        var value = InstructionRegisters(vcpu: vcpu, backend: backend).value(of: source)
        if fetch.codeSize != .bits64 { value &= 0xFFFF_FFFF }

        if number == 4, let refusal = hypervisor.controlRegister4Policy.refusal(value, state: state) {
            Log.debug("d\(domain.id): MOV to CR4 of \(hex(value, digits: 8)) refused (\(refusal)): #GP(0)")
            backend.injectException(vcpu, vector: 13, errorCode: 0)
            return .retry
        }
        switch backend.writeControlRegister(vcpu, number, value) {
        case .written: return .completedWithLength(length)
        case .executeAgain: return .retry
        case .notEmulated(let why): return .crash("MOV to CR\(number): \(why) (not emulated)")
        }
    }

    /// MOV from CR3 (only VMX exits on it, and only where the CPU forces
    /// CR3-store exiting): the guest's CR3 into the destination register,
    /// all 64 bits in 64-bit mode, else the low 32 bits, zero-extended.
    func controlRegisterRead(_ number: UInt8, destinationRegister: UInt8, _ exit: VMExit) -> ExitOutcome {
        guard number == 3 else { return .crash("MOV from CR\(number) (not emulated)") }
        let fetch = instructionFetchState
        let size: UInt8 = fetch.codeSize == .bits64 ? 8 : 4
        InstructionRegisters(vcpu: vcpu, backend: backend)
            .write(fetch.control.cr3, to: RegisterOperand(number: destinationRegister, size: size))
        return .completed
    }
}
