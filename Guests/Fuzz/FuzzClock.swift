import GuestSupport
import XenPublic

/// System time without reading shared_info again: the fuzzer moves its own
/// shared_info page about (XENMEM_add_to_physmap), so it reads the time
/// scale once at the start and computes the time from the TSC after that.
/// Only the deadlines of its own timers need it (so that a block or a poll
/// always ends), and a stale or wrong time only makes them fire early.
struct FuzzClock {
    private let systemTime: UInt64
    private let timestamp: UInt64
    private let multiplier: UInt64
    private let shift: Int

    init(sharedInfo: UInt64) {
        let time = UnsafePointer<vcpu_info>(bitPattern: UInt(sharedInfo))!.pointee.time
        systemTime = time.system_time
        timestamp = time.tsc_timestamp
        multiplier = UInt64(time.tsc_to_system_mul)
        shift = Int(time.tsc_shift)
    }

    func now() -> UInt64 {
        let delta = read_tsc() &- timestamp
        let shifted = shift >= 0 ? delta << UInt64(shift) : delta >> UInt64(-shift)
        let product = shifted.multipliedFullWidth(by: multiplier)
        return systemTime &+ ((product.high << 32) | (product.low >> 32))
    }
}
