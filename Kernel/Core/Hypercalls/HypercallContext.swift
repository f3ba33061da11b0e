/// Everything a hypercall handler may touch: the calling domain and vCPU,
/// the caller's memory (through checked, translated accesses only), and the
/// hypervisor for the few things beyond the caller (other domains, the
/// console, the hypervisor's own command line).
struct HypercallContext {
    let hypervisor: Hypervisor
    let domain: Domain
    let vcpu: VCPU
    let guest: GuestMemory
}
