import GuestSupport

/// The guest's IDT (Intel SDM Vol. 3A 6.14.1): all 256 vectors, one 16-byte
/// gate each, 4 KiB. The 32 exception vectors are interrupt gates to their
/// stubs in GuestExceptionEntry.S; the other 224 are not present until a
/// guest sets one (`setGate`), for the one interrupt it can be sent: the
/// event-channel upcall (Upcall.install). An interrupt at a vector with no
/// gate raises #NP, which the exception report shows.
enum InterruptTable {
    private static let vectorCount = 256
    private static let exceptionCount = 32
    private static let gateSize = 16
    /// Entry.S's 64-bit code segment.
    private static let codeSelector: UInt64 = 0x08

    /// Two UInt64 per gate; made by `install`.
    nonisolated(unsafe) private static var table: UnsafeMutablePointer<UInt64>? = nil

    static func install() {
        let gates = UnsafeMutablePointer<UInt64>.allocate(capacity: vectorCount * 2)
        gates.initialize(repeating: 0, count: vectorCount * 2)
        table = gates
        for vector in 0..<exceptionCount {
            setGate(UInt8(vector), handler: exception_entry_address(CInt(vector)))
        }
        idt_load(UInt64(UInt(bitPattern: gates)), UInt16(vectorCount * gateSize - 1))
    }

    /// Points `vector` at `handler`. The CPU reads the gate when it
    /// delivers the interrupt, so no reload is needed. With
    /// `callableFromRing3` the gate's DPL is 3, so ring 3 may raise it with
    /// INT n (a system-call gate, such as int 0x80); otherwise INT n from
    /// ring 3 is a #GP, while exceptions and interrupts still reach it.
    static func setGate(_ vector: UInt8, handler: UInt64, callableFromRing3: Bool = false) {
        guard let table else { return }
        table[Int(vector) * 2] = gateLow(handler: handler, privilegeLevel: callableFromRing3 ? 3 : 0)
        table[Int(vector) * 2 + 1] = handler >> 32
    }

    /// The low 8 bytes of a present 64-bit interrupt gate (type 0xE:
    /// interrupts stay off in the handler) of DPL `privilegeLevel`; the
    /// high 8 bytes hold bits 32-63 of the handler's address.
    private static func gateLow(handler: UInt64, privilegeLevel: UInt64) -> UInt64 {
        (handler & 0xFFFF)
            | (codeSelector << 16)
            | ((0x8E | privilegeLevel << 5) << 40)
            | (((handler >> 16) & 0xFFFF) << 48)
    }
}
