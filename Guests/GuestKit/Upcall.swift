import GuestSupport
import XenPublic

/// The event-channel upcall: the interrupt the hypervisor sends a vCPU when
/// one of its ports became pending (Kernel/Core/Events/Domain+Upcall.swift).
///
/// A PVH guest picks the vector with HVM_PARAM_CALLBACK_IRQ, type 2
/// ("vector", `(2 << 56) | vector`). The hypervisor then injects it for as
/// long as the vCPU's evtchn_upcall_pending is set, whenever the vCPU has
/// interrupts on (RFLAGS.IF); with them off it waits until they are on.
/// GuestKit's guests run with interrupts off and turn them on only where
/// they wait (`waitForInterrupt`, `takePendingInterrupts`), so the handler
/// never interrupts the heap or a half-printed line.
///
/// The handler (UpcallEntry.S, then `handle`) acknowledges the upcall the
/// 2-level way (SharedInfoView.acknowledgeUpcall) and counts, per port, the
/// events it found: a guest waits for a port's count to rise. It
/// allocates nothing and prints nothing.
enum Upcall {
    /// GuestKit's choice; any vector from 32 up would do (0-31 are the
    /// CPU's exceptions).
    static let defaultVector: UInt8 = 0xF3

    /// Events seen per port, 4096 counters (Xen's 2-level ports); made by
    /// `install`.
    nonisolated(unsafe) private static var counts: UnsafeMutablePointer<UInt64>? = nil
    /// Upcalls taken, one per interrupt, whatever it found.
    nonisolated(unsafe) private static var deliveries: UInt64 = 0
    /// The mapped shared_info page the handler acknowledges in.
    nonisolated(unsafe) private static var page: SharedInfoView? = nil

    /// Maps shared_info if that is not done yet, points the IDT gate of
    /// `vector` at the handler and asks the hypervisor for upcalls there.
    static func install(vector: UInt8 = defaultVector) throws(HypercallFailure) {
        page = try SharedInfoView.map()
        if counts == nil {
            let table = UnsafeMutablePointer<UInt64>.allocate(capacity: Int(EVTCHN_2L_NR_CHANNELS))
            table.initialize(repeating: 0, count: Int(EVTCHN_2L_NR_CHANNELS))
            counts = table
        }
        InterruptTable.setGate(vector, handler: upcall_entry_address())
        try HVMParameters.set(UInt32(HVM_PARAM_CALLBACK_IRQ), (callbackVectorType << 56) | UInt64(vector))
    }

    /// HVM_PARAM_CALLBACK_IRQ's delivery type "vector".
    private static let callbackVectorType: UInt64 = 2

    /// Stops the upcalls (HVM_PARAM_CALLBACK_IRQ = 0): events only set
    /// their bits again. The counts stay.
    static func remove() throws(HypercallFailure) {
        try HVMParameters.set(UInt32(HVM_PARAM_CALLBACK_IRQ), 0)
    }

    /// Upcalls taken so far.
    static var deliveryCount: UInt64 {
        withUnsafePointer(to: &deliveries) { volatile_read_u64($0) }
    }

    /// Events seen on `port` so far.
    static func count(of port: evtchn_port_t) -> UInt64 {
        guard let counts, port < evtchn_port_t(EVTCHN_2L_NR_CHANNELS) else { return 0 }
        return volatile_read_u64(counts + Int(port))
    }

    /// Halts with interrupts on until an interrupt (the upcall) comes, then
    /// turns them off again. Blocks the vCPU if nothing is owed; returns at
    /// once, through the handler, if an upcall is.
    static func waitForInterrupt() {
        cpu_wait_for_interrupt()
    }

    /// Lets an upcall that is owed come now (interrupts on for one
    /// instruction), without waiting if none is.
    static func takePendingInterrupts() {
        cpu_take_pending_interrupts()
    }

    /// Waits until `port` has seen more than `count` events; returns how
    /// many it has seen. A wake-up for another port, or the timer, waits
    /// again.
    @discardableResult
    static func wait(for port: evtchn_port_t, beyond count: UInt64) -> UInt64 {
        while self.count(of: port) <= count { waitForInterrupt() }
        return self.count(of: port)
    }

    /// The Swift half of the handler, with interrupts off.
    fileprivate static func handle() {
        deliveries &+= 1
        guard let page, let counts else { return }
        page.acknowledgeUpcall { port in counts[Int(port)] &+= 1 }
    }
}

/// UpcallEntry.S calls this with every caller-saved register saved.
@_cdecl("guest_upcall")
func guestUpcall() {
    Upcall.handle()
}
