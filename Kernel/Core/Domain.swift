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
    }

    /// The guest's console prefix, like Xen's "(d0) ".
    var consolePrefix: String { "(d\(id)) " }
}
