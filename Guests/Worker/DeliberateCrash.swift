import GuestSupport

/// How a worker crashes on purpose: a jump to guest-physical memory the
/// hypervisor never backed. The worker's page tables map it (the first
/// 1 GiB is identity-mapped), so the instruction fetch reaches nested
/// paging; a load or a store there would be emulated as MMIO to no device
/// (all ones, dropped), but a fetch cannot be, and the hypervisor must
/// turn the fault into a crash of this domain alone.
enum DeliberateCrash {
    /// Above the RAM of any worker a test gives less than 768 MiB.
    static let unbackedAddress: UInt64 = 0x3000_0000

    static func jumpToUnbackedMemory() -> Never {
        print("worker: jumping to unbacked guest-physical \(hex(unbackedAddress, digits: 1))")
        ConsoleIO.flush()
        jump_to(unbackedAddress)
    }
}
