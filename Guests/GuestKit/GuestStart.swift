import GuestSupport

/// What every guest gets before its own `guest_main` runs (Entry.S calls
/// this first): exception handlers, so that a guest bug shows up as a report
/// instead of a silent triple fault, and the hypercall page, without which
/// the guest cannot say anything at all.
@_cdecl("guest_kit_start")
func guestKitStart() {
    InterruptTable.install()
    if !HypercallPageSetup.install() {
        // No Xen-compatible hypervisor: no console to complain on. Stop.
        Processor.stop()
    }
}

/// Entry.S calls this if `guest_main` returns: a guest that has nothing
/// more to do powers off.
@_cdecl("guest_kit_exit")
func guestKitExit() {
    SchedOp.shutdown(.poweroff)
}

/// The few things a guest does to its own virtual CPU.
enum Processor {
    /// Interrupts off and halted, for good. The last resort when even a
    /// shutdown hypercall did not end the domain.
    static func stop() -> Never {
        while true { cpu_stop() }
    }
}
