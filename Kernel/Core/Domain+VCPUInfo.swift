import XenPublic

/// Each vCPU's `vcpu_info`: where the hypervisor tells it the time and that
/// an event waits. It starts as the vCPU's slot in shared_info; the guest
/// may move it to a page of its own RAM with VCPUOP_register_vcpu_info
/// (Linux does, for every CPU, and panics if it cannot).
///
/// A registered vcpu_info is found again through the domain's physmap each
/// time it is written. If the guest gives that frame away, the writes stop:
/// the hypervisor never writes into a frame the domain no longer owns.
extension Domain {
    func vcpuInfo(of vcpu: VCPU) -> UnsafeMutablePointer<vcpu_info>? {
        if let address = vcpu.registeredVCPUInfo {
            guard let host = memory.hostAddress(of: address) else { return nil }
            return memory.physicalMemory.pointer(host).assumingMemoryBound(to: vcpu_info.self)
        }
        return sharedInfo?.slot(vcpu)
    }

    /// Writes the vCPU's `vcpu_time_info`: now, as a (TSC, system time)
    /// pair and the scale between them. `version` is odd while the fields
    /// change, and even (and larger) after. Called when the vCPU is
    /// scheduled in and when its vcpu_info appears or moves.
    func publishTime(of vcpu: VCPU, clock: SystemClock) {
        guard let info = vcpuInfo(of: vcpu) else { return }
        let reading = clock.reading()
        info.pointee.time.version &+= 1
        info.pointee.time.tsc_timestamp = reading.counter
        info.pointee.time.system_time = reading.nanoseconds
        info.pointee.time.tsc_to_system_mul = clock.scale.multiplier
        info.pointee.time.tsc_shift = clock.scale.shift
        info.pointee.time.flags = UInt8(XEN_PVCLOCK_TSC_STABLE_BIT)
        info.pointee.time.version &+= 1
    }

    /// Tells the vCPU an event is waiting (its timer fired).
    func markEventPending(for vcpu: VCPU) {
        vcpuInfo(of: vcpu)?.pointee.evtchn_upcall_pending = 1
    }

    /// VCPUOP_register_vcpu_info: moves `vcpu`'s vcpu_info to
    /// guest-physical `address`, which the caller checked is in the
    /// domain's RAM and leaves the whole structure in one page. Like Xen,
    /// the old contents come along, and every event is marked possibly
    /// pending, so the guest rescans rather than miss one.
    func moveVCPUInfo(of vcpu: VCPU, to address: UInt64, clock: SystemClock) {
        let old = vcpuInfo(of: vcpu)?.pointee
        vcpu.registeredVCPUInfo = address
        guard let info = vcpuInfo(of: vcpu) else { return }
        if let old { info.pointee = old } else { info.pointee = vcpu_info() }
        info.pointee.evtchn_pending_sel = ~0
        info.pointee.evtchn_upcall_pending = 1
        publishTime(of: vcpu, clock: clock)
    }
}
