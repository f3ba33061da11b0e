import GuestSupport
import XenPublic

/// System time without reading shared_info again: the fuzzer moves its own
/// shared_info page about (XENMEM_add_to_physmap), so it reads the time
/// scale once at the start and computes the time from the TSC after that.
/// Only the deadlines of its own timers need it (so that a block or a poll
/// always ends), and a stale or wrong time only makes them fire early.
struct FuzzClock {
    /// The vCPU's time as published when the fuzzer started.
    private let snapshot: vcpu_time_info

    init(sharedInfo: UInt64) {
        snapshot = UnsafePointer<vcpu_info>(bitPattern: UInt(sharedInfo))!.pointee.time
    }

    func now() -> UInt64 {
        snapshot.system_time &+ SystemTimeReader.scaled(read_tsc() &- snapshot.tsc_timestamp, snapshot)
    }
}
