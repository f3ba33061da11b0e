/// A domain: a virtual machine, with its memory, its vCPUs and what the
/// hypervisor keeps for it (HVM parameters, the console line being built).
final class Domain {
    let id: UInt16
    let name: String
    let isPrivileged: Bool
    let memory: DomainMemory
    var vcpus: [VCPU] = []
    var state: DomainState = .paused
    /// HVM_PARAM_* values the guest set or the builder provided.
    var hvmParameters = [UInt64](repeating: 0, count: HVMParameterPolicy.count)
    /// Guest console output until a newline, so lines are printed whole with
    /// the domain's prefix.
    var consoleLine: [UInt8] = []
    /// Where the guest asked for its hypercall page, if it did.
    var hypercallPage: UInt64? = nil

    init(id: UInt16, name: String, isPrivileged: Bool, memory: DomainMemory) {
        self.id = id
        self.name = name
        self.isPrivileged = isPrivileged
        self.memory = memory
        maximumFrames = memory.frameCount
    }

    /// XEN_DOMCTL_max_mem, in frames: populate_physmap stops there.
    var maximumFrames: Int
    /// on_crash and the like are dom0's business; the hypervisor only keeps
    /// what getdomaininfo reports.
    var handle = [UInt8](repeating: 0, count: 16)

    /// The guest's console prefix, like Xen's "(d0) ".
    var consolePrefix: String { "(d\(id)) " }

    /// Drops foreign mappings of `owner`'s frames (all when nil) from this
    /// domain's physmap, and makes its vCPUs forget them.
    func removeForeignMappings(of owner: UInt16?) {
        guard memory.unmapForeign(ownedBy: owner) > 0 else { return }
        needsTranslationFlush = true
    }

    /// Set when a nested mapping went away; the scheduler flushes the vCPUs'
    /// cached translations before the domain runs again.
    var needsTranslationFlush = false
}
