import XenPublic

/// A domain's shared_info page (struct shared_info, xen_shared_info.h): a
/// host frame the hypervisor allocates when the guest first asks for it and
/// owns for as long as the domain exists (it is freed with the Domain
/// object). The guest sees it at the guest frame it chose with
/// XENMEM_add_to_physmap (SharedInfoMapping).
///
/// What the hypervisor writes here:
/// - each vCPU's `vcpu_time_info`, whenever the vCPU is scheduled in and
///   when the page is first mapped (`publishTime`);
/// - `evtchn_upcall_pending` in a vCPU's `vcpu_info` when its one-shot
///   timer fires (`markEventPending`), the one event there is until event
///   channels exist;
/// - the wall clock: left at 0 (wc_sec = wc_nsec = 0, wc_version 0): this
///   hypervisor reads no real-time clock, so the time of day at boot is
///   unknown and guests see the epoch.
/// The guest only runs when the hypervisor does not (one CPU), so the
/// version protocol is kept for the guest's sake, not for a race here.
final class SharedInfoPage {
    let hostFrame: UInt64
    /// Where the guest sees the page, once it asked.
    var guestFrame: UInt64? = nil
    private let frames: FrameSource

    init?(frames: FrameSource) {
        guard let frame = frames.allocateZeroedFrame() else { return nil }
        self.frames = frames
        self.hostFrame = frame
    }

    deinit {
        frames.freeFrame(hostFrame)
    }

    /// The vCPU's slot; nil beyond the legacy 32 slots the page has.
    private func slot(_ vcpu: VCPU) -> UnsafeMutablePointer<vcpu_info>? {
        guard vcpu.index >= 0, vcpu.index < Int(XEN_LEGACY_MAX_VCPUS) else { return nil }
        let page = frames.physicalMemory.pointer(hostFrame)
        return (page + vcpu.index * MemoryLayout<vcpu_info>.stride).assumingMemoryBound(to: vcpu_info.self)
    }

    /// Writes the vCPU's `vcpu_time_info`: now, as a (TSC, system time)
    /// pair and the scale between them. `version` is odd while the fields
    /// change, and even (and larger) after.
    func publishTime(of vcpu: VCPU, clock: SystemClock) {
        guard let info = slot(vcpu) else { return }
        let reading = clock.reading()
        info.pointee.time.version &+= 1
        info.pointee.time.tsc_timestamp = reading.counter
        info.pointee.time.system_time = reading.nanoseconds
        info.pointee.time.tsc_to_system_mul = clock.scale.multiplier
        info.pointee.time.tsc_shift = clock.scale.shift
        info.pointee.time.flags = UInt8(XEN_PVCLOCK_TSC_STABLE_BIT)
        info.pointee.time.version &+= 1
    }

    /// Tells the guest an event is waiting for `vcpu` (its timer fired).
    func markEventPending(for vcpu: VCPU) {
        slot(vcpu)?.pointee.evtchn_upcall_pending = 1
    }
}
