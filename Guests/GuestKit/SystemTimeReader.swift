import GuestSupport
import Synchronization
import XenPublic

/// Reads system time as the hypervisor keeps it: nanoseconds since the
/// machine booted, the clock that timers (`Timer`) and SCHEDOP_poll use.
///
/// Read from the vCPU's `vcpu_time_info` in shared_info: the hypervisor
/// published a (TSC, system time) pair and the TSC's scale; now is that
/// system time plus the TSC ticks since, scaled. The hypervisor may publish
/// again while we read (it does whenever this vCPU is scheduled in), so we
/// read Xen's way: version, fields, version again; retry if the version was
/// odd (an update in progress) or changed.
enum SystemTimeReader {
    /// Nanoseconds since boot; 0 until shared_info is mapped.
    static func now(vcpu index: Int = 0) -> UInt64 {
        guard let page = SharedInfoView.current else { return 0 }
        let time = UnsafeMutableRawPointer(page.vcpuInfo(index)).advanced(by: timeOffset)
            .assumingMemoryBound(to: vcpu_time_info.self)
        while true {
            let version = time.pointee.version
            atomicMemoryFence(ordering: .acquiring)
            let snapshot = time.pointee
            let tsc = read_tsc()
            atomicMemoryFence(ordering: .acquiring)
            if version & 1 == 0 && time.pointee.version == version {
                return snapshot.system_time &+ scaled(tsc &- snapshot.tsc_timestamp, snapshot)
            }
        }
    }

    /// Where `time` is in struct vcpu_info (checked in AbiLayoutChecks.c).
    private static let timeOffset = 32

    /// ((delta << shift) * mul) >> 32, the product in 128 bits.
    static func scaled(_ delta: UInt64, _ time: vcpu_time_info) -> UInt64 {
        let shift = Int(time.tsc_shift)
        let shifted = shift >= 0 ? delta << UInt64(shift) : delta >> UInt64(-shift)
        let product = shifted.multipliedFullWidth(by: UInt64(time.tsc_to_system_mul))
        return (product.high << 32) | (product.low >> 32)
    }

    /// The TSC's frequency as published: ((10^9 << 32) / mul), shifted back.
    static func tscFrequency(vcpu index: Int = 0) -> UInt64 {
        guard let page = SharedInfoView.current else { return 0 }
        let time = page.vcpuInfo(index).pointee.time
        guard time.tsc_to_system_mul > 0 else { return 0 }
        let perShiftedTick = (UInt64(1_000_000_000) << 32) / UInt64(time.tsc_to_system_mul)
        let shift = Int(time.tsc_shift)
        return shift >= 0 ? perShiftedTick >> UInt64(shift) : perShiftedTick << UInt64(-shift)
    }
}
