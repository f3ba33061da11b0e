/// MOV to CR4, on both vendors: Core decides with `ControlRegister4Policy`
/// and the backend applies the value, or the guest gets #GP(0) as from a
/// CPU that refuses the value. (CR0 and CR3 accesses that exit on VMX are
/// an artefact of VMX and stay in its backend, VMXControlRegisterExit; SVM
/// does not intercept them.)
extension VMExitHandler {
    func controlRegisterWrite(_ number: UInt8, sourceRegister: UInt8?, _ exit: VMExit) -> ExitOutcome {
        guard number == 4 else { return .crash("MOV to CR\(number) (not emulated)") }
        let fetch = instructionFetchState
        let state = fetch.control
        let source: UInt8
        let length: UInt8
        if let sourceRegister {
            source = sourceRegister
            length = exit.instructionLength
        } else {
            // Without decode assists the hardware says only that CR4 was written.
            do {
                let instruction = try GuestInstruction.decode(fetch, in: domain.memory)
                guard case .moveToControlRegister(4, let register) = instruction.operation else {
                    return .crash("CR4 write exit at an instruction that is no MOV to CR4 (not emulated)")
                }
                source = register
                length = instruction.length
            } catch {
                return .crash("MOV to CR4: \(error.description) (not emulated)")
            }
        }
        // Outside 64-bit mode the operand is the register's low 32 bits.
        var value = InstructionRegisters(vcpu: vcpu, backend: backend).value(of: source)
        if fetch.codeSize != .bits64 { value &= 0xFFFF_FFFF }

        if let refusal = hypervisor.controlRegister4Policy.refusal(value, state: state) {
            Log.debug("d\(domain.id): MOV to CR4 of \(hex(value, digits: 8)) refused (\(refusal)): #GP(0)")
            backend.injectException(vcpu, vector: 13, errorCode: 0)
            return .retry
        }
        switch backend.writeControlRegister4(vcpu, value) {
        case .written: return .completedWithLength(length)
        case .executeAgain: return .retry
        }
    }
}
