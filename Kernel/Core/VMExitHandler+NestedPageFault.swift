/// A nested page fault: the guest touched a guest-physical address its
/// nested page tables do not allow. Behind the address there is either
/// something (RAM, a foreign or shared_info mapping), and then the access
/// broke that mapping's rights, which crashes the domain; or nothing, and
/// then Xen's rule applies (`UnbackedAccess`): a read gives all ones, a
/// write is dropped, and RIP moves past the emulated instruction. What
/// cannot be emulated crashes the domain, and the reason says what it was.
extension VMExitHandler {
    var nestedPageFaultName: String { backend.nestedPageFormat == .ept ? "EPT violation" : "NPT fault" }

    func nestedPageFault(at address: UInt64, _ access: MemoryAccess) -> ExitOutcome {
        let fault = "\(nestedPageFaultName) at guest-physical \(hex(address)) (\(describe(access)))"
        guard !domain.memory.hasMapping(atFrame: address >> 12) else {
            return .crash("\(fault), which the domain's mapping there does not allow")
        }
        let unbacked = UnbackedAccess(guestPhysicalAddress: address, access: access)
        do {
            let length = try unbacked.emulate(instructionFetchState, memory: domain.memory,
                                              registers: InstructionRegisters(vcpu: vcpu, backend: backend))
            return .completedWithLength(length)
        } catch {
            return .crash("\(fault), outside the domain's memory: \(error.description) (not emulated)")
        }
    }
}
