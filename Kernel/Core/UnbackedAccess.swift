/// Xen's rule for a guest access to guest-physical space with nothing
/// behind it (no RAM, no foreign or shared_info mapping: a device window
/// such as the IO-APIC's or the HPET's, a hole, a frame given back with
/// decrease_reservation, anything above RAM): it is MMIO to no device. A
/// read returns all ones and a write is dropped, and the guest goes on, as
/// on a bus where nothing answers.
///
/// To do that the instruction must be emulated: fetched at RIP, decoded
/// (`GuestInstruction`), its destination register given all ones for a
/// load, and RIP moved past it. Only data accesses by the instructions
/// `InstructionDecoder` knows are emulated; refused (the domain is
/// crashed) are an instruction fetch from there, the CPU's own accesses
/// there (walking guest page tables, delivering an event through an IDT
/// or onto a stack there), and any instruction that cannot be fetched, is
/// outside the subset, or does not match the access.
///
/// An operand that straddles RAM and the hole reads all ones as a whole:
/// the hypervisor does not compute the operand's address, only the
/// hardware's faulting address is known.
struct UnbackedAccess {
    let guestPhysicalAddress: UInt64
    let access: MemoryAccess

    enum Refusal: Error, Equatable {
        case instructionFetch
        case guestPageTableWalk
        case eventDelivery
        case instruction(GuestInstruction.Failure)
        /// Decoded, but not a load for a read or a store for a write.
        case mismatch

        var description: String {
            switch self {
            case .instructionFetch: "instruction fetch"
            case .guestPageTableWalk: "walk of the guest's page tables"
            case .eventDelivery: "delivery of an interrupt or exception"
            case .instruction(let failure): failure.description
            case .mismatch: "an instruction that does not access memory this way"
            }
        }
    }

    /// Emulates the access; returns the instruction's length, by which RIP
    /// must move.
    func emulate(_ state: InstructionFetchState, memory: DomainMemory,
                 registers: InstructionRegisters) throws(Refusal) -> UInt8 {
        // LAB 4 BEGIN: refuse what must not be emulated: a fetch, a page walk, an event delivery
        // LAB 4 STUB: fatalError("lab 4: the refusals of UnbackedAccess.emulate are yours to write (Docs/labs/lab4-nested-paging.md)")
        guard !access.execute, !isInstructionPointerPage(state, memory) else { throw .instructionFetch }
        guard !access.guestPageWalk else { throw .guestPageTableWalk }
        guard !access.duringEventDelivery else { throw .eventDelivery }
        // LAB 4 END
        let instruction: DecodedInstruction
        do {
            instruction = try GuestInstruction.decode(state, in: memory)
        } catch {
            throw .instruction(error)
        }
        switch instruction.operation {
        case .load(let destination, let memorySize, let widening) where access.read && !access.write:
            registers.write(Self.loadedValue(memorySize: memorySize, widening: widening), to: destination)
        case .store where access.write:
            break
        default:
            throw .mismatch
        }
        return instruction.length
    }

    /// What a load from nothing reads: all ones in the memory operand's
    /// width; a sign extension of that is all ones in any width, a zero
    /// extension keeps only the operand's bits.
    static func loadedValue(memorySize: UInt8, widening: DecodedInstruction.Widening) -> UInt64 {
        if widening == .signExtend || memorySize >= 8 { return UInt64.max }
        return (1 << (UInt64(memorySize) * 8)) - 1
    }

    /// Whether the faulting address is on the page RIP is on: then the
    /// fault was the fetch of the instruction itself, even where the
    /// hardware calls it a read (the fetch bit of a page-fault error code,
    /// which an NPF reports too, is only defined with NX or SMEP on: AMD
    /// APM Vol. 2, 8.4.2, and its nested paging in 15.25).
    private func isInstructionPointerPage(_ state: InstructionFetchState, _ memory: DomainMemory) -> Bool {
        let guest = GuestMemory(memory: memory, state: state.control)
        guard let physical = try? guest.linearToPhysical(state.instructionPointerLinear, forWrite: false) else {
            return false
        }
        return physical >> 12 == guestPhysicalAddress >> 12
    }
}
