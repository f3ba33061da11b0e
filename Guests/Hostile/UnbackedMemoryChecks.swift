import GuestSupport

/// Guest-physical memory with nothing behind it is MMIO to no device, as on
/// Xen: a load reads all ones, a store is dropped, and the guest goes on.
/// Checked in two places: above this guest's RAM (the IO-APIC window at
/// 0xFEC00000 is beyond the first 1 GiB this guest's page tables map, so
/// an address in that 1 GiB stands in for it), and a frame of its own RAM
/// that it gives back with decrease_reservation.
///
/// Each access is one known instruction (GuestSupport.h): the hypervisor
/// decodes it to emulate it.
enum UnbackedMemoryChecks {
    /// Mapped in this guest's page tables, and above the RAM the tests give
    /// a hostile guest (less than 768 MiB).
    static let aboveRAM: UInt64 = 0x3000_0000

    static func run(_ tally: inout CheckTally) {
        tally.expect("32-bit load above RAM", got: Int64(load_u32(aboveRAM)), expected: 0xFFFF_FFFF, inHex: true)
        tally.expect("64-bit load above RAM", got: Int64(bitPattern: load_u64(aboveRAM)), expected: -1, inHex: true)
        store_u32_immediate(aboveRAM)
        tally.expect("32-bit load above RAM after a store there", got: Int64(load_u32(aboveRAM)),
                     expected: 0xFFFF_FFFF, inHex: true)
        givenBackFrame(&tally)
    }

    /// A page of the guest's heap (which never reuses memory), zeroed, so
    /// that a frame still backed would read 0, then given back.
    private static func givenBackFrame(_ tally: inout CheckTally) {
        let page = UnsafeMutableRawPointer.allocate(byteCount: 4096, alignment: 4096)
        page.initializeMemory(as: UInt8.self, repeating: 0, count: 4096)
        // Guest-virtual is guest-physical here (Entry.S's identity map).
        let address = UInt64(UInt(bitPattern: page))
        var frame = address >> 12
        let given = withUnsafePointer(to: &frame) { pointer in
            (try? MemoryOp.decreaseReservation(frames: UnsafeBufferPointer(start: pointer, count: 1))) ?? -1
        }
        tally.expect("decrease_reservation of one frame", got: Int64(given), expected: 1)
        tally.expect("64-bit load from the given-back frame", got: Int64(bitPattern: load_u64(address + 8)),
                     expected: -1, inHex: true)
        tally.expect("zero-extending byte load from the given-back frame",
                     got: Int64(bitPattern: load_u8_zero_extended(address + 0xFFF)), expected: 0xFF, inHex: true)
    }
}
