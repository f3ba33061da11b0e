/// Injecting an external interrupt (the event-channel upcall) into an SVM
/// guest (AMD APM Vol. 2, 15.20 and 15.21):
///
/// - the guest can take it if its RFLAGS.IF is set, it is not in an
///   interrupt shadow (the instruction after STI or MOV SS; VMCB offset
///   68h bit 0), and EVENTINJ holds no other event already (an exception
///   Core injected, or an event whose delivery an exit cut short, which
///   SVMBackend.run queued again from EXITINTINFO);
/// - then EVENTINJ gets the vector, type 0 (INTR), valid;
/// - otherwise a virtual interrupt is requested (V_IRQ, highest priority,
///   ignoring V_TPR) with the VINTR intercept on: the guest exits (code
///   64h) at the moment it could take it, before it does; the request is
///   withdrawn again, and Core asks anew.
enum SVMInterruptInjection {
    private static let interruptFlag: UInt64 = 1 << 9
    private static let inInterruptShadow: UInt64 = 1 << 0
    private static let valid: UInt64 = 1 << 31
    // VMCB offset 60h (APM Table B-1): V_IRQ, V_INTR_PRIO, V_IGN_TPR.
    private static let virtualInterruptRequest: UInt32 = 1 << 8
    private static let highestPriority: UInt32 = 0xF << 16
    private static let ignoreVirtualTPR: UInt32 = 1 << 20
    private static let windowRequest = virtualInterruptRequest | highestPriority | ignoreVirtualTPR
    // Intercept vector 3 (VMCB offset 0Ch), bit 4: VINTR.
    private static let interceptVirtualInterrupt: UInt32 = 1 << 4

    static func inject(vector: UInt8, into vmcb: VMCB) -> InterruptInjection {
        let canTake = vmcb.read64(VMCB.rflags) & interruptFlag != 0
            && vmcb.read64(VMCB.interruptShadow) & inInterruptShadow == 0
            && vmcb.read64(VMCB.eventInjection) & valid == 0
        guard canTake else {
            requestWindow(vmcb, vector: vector)
            return .waitingForWindow
        }
        vmcb.write64(VMCB.eventInjection, UInt64(vector) | valid)     // type 0: external interrupt
        windowOpened(vmcb)
        return .injected
    }

    /// The guest has completed the instruction the shadow covered (Core
    /// emulated it and moved RIP past it): the shadow is over.
    static func endInterruptShadow(_ vmcb: VMCB) {
        let shadow = vmcb.read64(VMCB.interruptShadow)
        if shadow & inInterruptShadow != 0 { vmcb.write64(VMCB.interruptShadow, shadow & ~inInterruptShadow) }
    }

    /// After a VINTR exit (or an injection): no window is wanted any more.
    static func windowOpened(_ vmcb: VMCB) {
        vmcb.write32(VMCB.interruptControl, vmcb.read32(VMCB.interruptControl) & ~windowRequest)
        vmcb.write32(VMCB.interceptMisc1, vmcb.read32(VMCB.interceptMisc1) & ~interceptVirtualInterrupt)
    }

    private static func requestWindow(_ vmcb: VMCB, vector: UInt8) {
        vmcb.write32(VMCB.interruptControl, vmcb.read32(VMCB.interruptControl) | windowRequest)
        vmcb.write8(VMCB.virtualInterruptVector, vector)
        vmcb.write32(VMCB.interceptMisc1, vmcb.read32(VMCB.interceptMisc1) | interceptVirtualInterrupt)
    }
}
