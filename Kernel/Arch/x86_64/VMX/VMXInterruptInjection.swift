/// Injecting an external interrupt (the event-channel upcall) into a VMX
/// guest, on the current VMCS (Intel SDM Vol. 3C, 26.6 and 27.2.1):
///
/// - the guest can take it if RFLAGS.IF is set, the interruptibility state
///   shows no blocking by STI or by MOV SS (bits 0 and 1), and no other
///   event already waits in the VM-entry interruption-information field
///   (an exception Core injected, or an event whose delivery an exit cut
///   short, which VMXBackend.afterExit queued again);
/// - then the field gets the vector, type 0 (external interrupt), valid;
/// - otherwise "interrupt-window exiting" is switched on: the guest exits
///   (reason 7) at the first instruction boundary where it could take an
///   interrupt, the window is switched off again, and Core asks anew.
enum VMXInterruptInjection {
    private static let interruptFlag: UInt64 = 1 << 9
    private static let blockedBySTIOrMovSS: UInt32 = 0b11
    private static let valid: UInt32 = 1 << 31

    static func inject(vector: UInt8) -> InterruptInjection {
        let canTake = VMCS.read(.guestRFLAGS) & interruptFlag != 0
            && VMCS.read32(.guestInterruptibility) & blockedBySTIOrMovSS == 0
            && VMCS.read32(.entryInterruptionInformation) & valid == 0
        guard canTake else {
            setWindowExiting(true)
            return .waitingForWindow
        }
        VMCS.write(.entryInterruptionInformation, UInt32(vector) | valid)   // type 0: external interrupt
        setWindowExiting(false)
        return .injected
    }

    /// After an interrupt-window exit: the window has served.
    static func windowOpened() { setWindowExiting(false) }

    private static func setWindowExiting(_ on: Bool) {
        let controls = VMCS.read32(.primaryProcessorControls)
        let wanted = on ? controls | VMXControls.Primary.interruptWindowExiting
                        : controls & ~VMXControls.Primary.interruptWindowExiting
        if wanted != controls { VMCS.write(.primaryProcessorControls, wanted) }
    }
}
