/// The instruction a vCPU stopped at: its bytes fetched at CS.base + RIP
/// through the guest's own page tables (`GuestMemory`, the same
/// translation hypercall arguments get), then decoded.
///
/// Needed because the hardware does not say which instruction exited for
/// a nested page fault: VMX's exit-instruction length is not valid for EPT
/// violations (Intel SDM Vol. 3C, 27.2.5), and SVM gives the next RIP and
/// the instruction bytes only with its NRIP-save and decode-assist
/// features (AMD APM Vol. 2, chapter 15), which QEMU does not have.
enum GuestInstruction {
    enum Failure: Error, Equatable {
        /// Real mode, virtual-8086 mode or a 16-bit code segment.
        case sixteenBitCode
        /// The first byte at RIP is not in the guest's RAM.
        case unreadable(linear: UInt64)
        case notDecoded(InstructionDecodingError)

        var description: String {
            switch self {
            case .sixteenBitCode: "16-bit code"
            case .unreadable(let linear): "instruction bytes at linear \(hex(linear)) unreadable"
            case .notDecoded(let error): error.description
            }
        }
    }

    static func decode(_ state: InstructionFetchState, in memory: DomainMemory) throws(Failure) -> DecodedInstruction {
        guard state.codeSize != .bits16 else { throw .sixteenBitCode }
        let bytes = try fetch(state, from: memory)
        do {
            return try InstructionDecoder.decode(bytes, codeSize: state.codeSize)
        } catch .truncated {
            // The decoder wanted bytes from the next page, which is not RAM.
            throw .unreadable(linear: state.instructionPointerLinear &+ UInt64(bytes.count))
        } catch {
            throw .notDecoded(error)
        }
    }

    /// Up to 15 bytes from RIP on; fewer if the page after RIP's page
    /// cannot be read (an instruction may end before it).
    private static func fetch(_ state: InstructionFetchState, from memory: DomainMemory) throws(Failure) -> [UInt8] {
        let guest = GuestMemory(memory: memory, state: state.control)
        let linear = state.instructionPointerLinear
        let inFirstPage = min(InstructionDecoder.maximumLength, Int(4096 - (linear & 0xFFF)))
        guard var bytes = try? guest.read(from: linear, count: inFirstPage) else {
            throw .unreadable(linear: linear)
        }
        let rest = InstructionDecoder.maximumLength - inFirstPage
        var next = linear &+ UInt64(inFirstPage)
        if state.codeSize != .bits64 { next &= 0xFFFF_FFFF }
        if rest > 0, let more = try? guest.read(from: next, count: rest) {
            bytes += more
        }
        return bytes
    }
}
