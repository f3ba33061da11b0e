import XenPublic

/// A domain's shared_info page (struct shared_info, xen_shared_info.h): a
/// host frame the hypervisor allocates when the guest first asks for it, or
/// when the domain opens its first event channel (whose pending bits live
/// here, even before the guest maps the page), and owns for as long as the
/// domain exists (it is freed with the Domain object). The guest sees it at
/// the guest frame it chose with XENMEM_add_to_physmap (SharedInfoMapping);
/// GuestKit's SharedInfoView is the guest's side of it.
///
/// What the hypervisor writes here:
/// - each vCPU's `vcpu_info` (time, pending events), until the vCPU moves
///   it elsewhere with VCPUOP_register_vcpu_info (Domain+VCPUInfo.swift);
/// - the event-channel bitmaps: pending bits (the guest clears them), not
///   the mask bits, which are the guest's (SharedInfoPage+EventBits.swift);
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

    /// The page as its C struct.
    var contents: UnsafeMutablePointer<shared_info> {
        frames.physicalMemory.pointer(hostFrame).assumingMemoryBound(to: shared_info.self)
    }

    /// The vCPU's slot; nil beyond the legacy 32 slots the page has. A
    /// vCPU that registered its own vcpu_info elsewhere no longer uses it
    /// (Domain.vcpuInfo).
    func slot(_ vcpu: VCPU) -> UnsafeMutablePointer<vcpu_info>? {
        guard vcpu.index >= 0, vcpu.index < Int(XEN_LEGACY_MAX_VCPUS) else { return nil }
        let page = frames.physicalMemory.pointer(hostFrame)
        return (page + vcpu.index * MemoryLayout<vcpu_info>.stride).assumingMemoryBound(to: vcpu_info.self)
    }
}
