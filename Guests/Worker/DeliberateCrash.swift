import GuestSupport

/// How a worker crashes on purpose: a store to guest-physical memory the
/// hypervisor never backed. The worker's page tables map it (the first
/// 1 GiB is identity-mapped), so the store reaches nested paging, whose
/// fault the hypervisor must turn into a crash of this domain alone.
enum DeliberateCrash {
    /// Above the RAM of any worker a test gives less than 768 MiB.
    static let unbackedAddress: UInt64 = 0x3000_0000

    static func writeToUnbackedMemory() -> Never {
        print("worker: writing to unbacked guest-physical \(hex(unbackedAddress, digits: 1))")
        ConsoleIO.flush()
        volatile_write_u64(unbackedAddress, 0xBAD)   // the store itself is the test
        print("worker: the write completed: FAIL (the domain should have been crashed)")
        SchedOp.shutdown(.crash)
    }
}
