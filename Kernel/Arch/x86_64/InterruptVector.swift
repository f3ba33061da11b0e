/// The vectors of the hypervisor's own interrupts, above the 32 exception
/// vectors. Highest priority class (vector / 16 = 15), and the spurious
/// vector with its low four bits set, as older APICs require.
enum InterruptVector {
    static let timer: UInt8 = 0xF0
    static let spurious: UInt8 = 0xFF
}
