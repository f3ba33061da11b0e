/// Whether handling an exit can have changed what the scheduler decides:
/// the answer lets the common exits (CPUID, most hypercalls, I/O ports)
/// go straight back into the guest, without reading the clock, looking
/// for due timers or arming the interrupt timer again.
///
/// That is safe because nothing the scheduler watches moves by itself
/// between two exits: the slice's end and every vCPU timer are already
/// armed in the interrupt timer, whose interrupt makes the guest exit
/// (`mayReschedule`, then). Only an exit that sets or cancels a timer,
/// wakes, blocks or ends a domain, or asks to yield changes the picture.
enum SchedulingEffect {
    /// The exit set no timer and woke, blocked, yielded or ended nothing.
    case none
    /// It may have (or it was a timer's or device's interrupt): the
    /// scheduler looks at the clock, fires due timers and arms again.
    case mayReschedule
}
