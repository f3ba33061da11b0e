/// Everything a hypercall handler may touch: the calling domain and vCPU,
/// the caller's memory (through checked, translated accesses only), and the
/// hypervisor for the few things beyond the caller (other domains, the
/// console, the hypervisor's own command line).
///
/// The VMExitHandler makes it once per slice and lends it to every
/// hypercall of the slice, so that a hypercall costs no reference counting.
struct HypercallContext {
    let hypervisor: Hypervisor
    let domain: Domain
    let vcpu: VCPU

    /// The caller's memory as its page tables show it now. Read from the
    /// backend when a handler asks, not before: most hypercalls a guest
    /// makes often (xen_version, an event-channel send) read no pointer.
    var guest: GuestMemory {
        GuestMemory(memory: domain.memory, state: hypervisor.backend.controlState(vcpu))
    }
}
