import XenPublic

/// 2-level event delivery, Xen's contract: how a pending port reaches a
/// vCPU. Three bits, each set only if the one before was newly set, each
/// cleared by the guest:
///
/// 1. the port's bit in shared_info.evtchn_pending. Already set: the guest
///    was told already, stop. Masked (evtchn_mask, the guest's): it stays
///    pending and notifies nobody until unmasked, stop.
/// 2. bit port/64 of the notified vCPU's vcpu_info.evtchn_pending_sel:
///    "look at that word". Already set: stop.
/// 3. that vcpu_info's evtchn_upcall_pending. Going from 0 to 1, the vCPU
///    needs its upcall: with a per-vCPU upcall vector, that edge requests
///    the vector in its local APIC (raisePerVCPUUpcall); the domain-wide
///    callback vector follows the bit itself (Domain+Upcall.swift).
///
/// The guest clears them in the reverse order (upcall_pending, then the
/// selector word, then each port bit) and rescans, so no event is lost in
/// between. With SMP, each step must be an atomic test-and-set, in this
/// order (SharedInfoPage+EventBits.swift).
///
/// The pending bit always has a home: a domain gets its shared_info page
/// before its first port opens (Domain.openPort). A vcpu_info may be missing
/// (a vCPU beyond shared_info's 32 slots that registered none, or whose
/// registered frame the guest gave away): the port then stays pending and
/// the guest finds it when it next scans.
extension Domain {
    /// Raises an event on one of this domain's own ports (the remote end of a
    /// send, an IPI, a VIRQ, a newly connected port).
    func raiseEvent(on port: EventChannelPort) {
        // LAB 5 BEGIN: step 1: the pending bit, unless already pending; the mask stops the rest
        // LAB 5 STUB: fatalError("lab 5: Domain.raiseEvent is yours to write (Docs/labs/lab5-event-channels.md)")
        guard let channel = eventChannels.channel(at: port), let page = sharedInfo else { return }
        guard !page.testAndSetPending(port) else { return }
        // Woken for any newly pending port, masked or not: a vCPU in
        // SCHEDOP_poll waits for exactly that. Waking a vCPU in SCHEDOP_block
        // for a masked port is early, which the contract allows.
        defer { wakeForEvent() }
        guard !page.isMasked(port) else { return }
        notifySelector(of: port, vcpuIndex: channel.notifiedVCPU)
        // LAB 5 END
    }

    /// EVTCHNOP_unmask's delivery: if the guest had masked the port and it
    /// is pending, its vCPU is told now, as if the event had just come.
    func unmaskEvent(on port: EventChannelPort) {
        // LAB 5 BEGIN: EVTCHNOP_unmask: clear the mask; a port still pending is delivered now
        // LAB 5 STUB: fatalError("lab 5: Domain.unmaskEvent is yours to write (Docs/labs/lab5-event-channels.md)")
        guard let channel = eventChannels.channel(at: port), let page = sharedInfo else { return }
        guard page.testAndClearMask(port), page.isPending(port) else { return }
        notifySelector(of: port, vcpuIndex: channel.notifiedVCPU)
        // LAB 5 END
    }

    /// Steps 2 and 3.
    private func notifySelector(of port: EventChannelPort, vcpuIndex: UInt32) {
        // LAB 5 BEGIN: steps 2 and 3: the selector bit, then evtchn_upcall_pending
        // LAB 5 STUB: fatalError("lab 5: Domain.notifySelector is yours to write (Docs/labs/lab5-event-channels.md)")
        guard let vcpu = vcpu(at: vcpuIndex), let info = vcpuInfo(of: vcpu) else { return }
        guard info.pointee.evtchn_pending_sel & port.selectorBit == 0 else { return }
        info.pointee.evtchn_pending_sel |= port.selectorBit
        guard info.pointee.evtchn_upcall_pending == 0 else { return }
        info.pointee.evtchn_upcall_pending = 1
        raisePerVCPUUpcall(vcpu)
        // LAB 5 END
    }

    /// Xen's rule for a per-vCPU upcall vector: an edge-triggered interrupt
    /// through the local APIC, requested when evtchn_upcall_pending goes
    /// from 0 to 1 (and when the vector is chosen while the bit is set);
    /// the guest acknowledges it with an EOI, as any APIC interrupt.
    func raisePerVCPUUpcall(_ vcpu: VCPU) {
        guard let vector = vcpu.upcallVector else { return }
        vcpu.localAPIC.requestInterrupt(vector: vector)
    }

    /// A blocked domain runs again when an event arrives for it (Xen kicks
    /// the vCPU); the guest looks at its bits and may block again.
    private func wakeForEvent() {
        guard state == .blocked else { return }
        wake(at: SystemTime.now())
    }

    /// The vCPU with this index (as a port names it), if the domain has it.
    func vcpu(at index: UInt32) -> VCPU? {
        Int(index) < vcpus.count ? vcpus[Int(index)] : nil
    }
}
