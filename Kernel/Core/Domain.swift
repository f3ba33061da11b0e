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
    /// Calls and failures per hypercall, printed when the domain ends.
    let hypercallCounters = HypercallCounters()
    /// Exits by kind, all vCPUs together, printed when the domain ends.
    let exitCounters = ExitCounters()
    /// The I/O ports this domain uses without exits; nil for none (every
    /// port access exits). Its vCPUs' VMCS or VMCB point at it.
    var ioPortBitmap: IOPortBitmap? = nil

    init(id: UInt16, name: String, isPrivileged: Bool, memory: DomainMemory) {
        self.id = id
        self.name = name
        self.isPrivileged = isPrivileged
        self.memory = memory
        self.grantTable = GrantTable(frames: memory.frames)
    }

    /// XEN_DOMCTL_max_mem, in frames: populate_physmap stops there. Kept by
    /// the memory, which enforces it and sizes its other limits from it.
    var maximumFrames: Int {
        get { memory.maximumFrames }
        set { memory.maximumFrames = newValue }
    }
    /// on_crash and the like are dom0's business; the hypervisor only keeps
    /// what getdomaininfo reports.
    var handle = [UInt8](repeating: 0, count: 16)

    /// The guest's console prefix, like Xen's "(d0) ".
    var consolePrefix: String { "(d\(id)) " }

    /// The page of ACPI tables the hypervisor wrote into the domain's RAM
    /// (dom0's, Domain0Builder); nil for a domain without.
    var acpiTables: MemoryRange? = nil

    /// The memory map XENMEM_memory_map answers with: the same as the one
    /// in the start info, for a domain the hypervisor built.
    var memoryMap: DomainMemoryMap { DomainMemoryMap(ramEnd: memory.byteCount, acpiTables: acpiTables) }

    /// Drops foreign mappings of `owner`'s frames (all when nil) from this
    /// domain's physmap, and makes its vCPUs forget them at once.
    func removeForeignMappings(of owner: UInt16?, backend: VirtualizationBackend) {
        guard memory.unmapForeign(ownedBy: owner) > 0 else { return }
        flushNestedTranslations(backend)
    }

    /// After a nested mapping went away or changed, the vCPUs must not keep
    /// using a cached translation of it: flush now, before the guest runs
    /// again (the caller may be this very domain, in a hypercall).
    func flushNestedTranslations(_ backend: VirtualizationBackend) {
        for vcpu in vcpus { backend.flushNestedTranslations(vcpu) }
    }

    // MARK: - Scheduling and time

    /// The credit scheduler's weight, credit and queue place (CreditScheduler).
    var scheduling = DomainScheduling()
    /// The shared_info page, once the guest mapped it (SharedInfoMapping)
    /// or opened its first event channel (Domain.openPort).
    var sharedInfo: SharedInfoPage? = nil

    // MARK: - Events

    /// The domain's event-channel ports (Kernel/Core/Events).
    let eventChannels = EventChannelTable()
    /// How the guest wants its upcall (HVM_PARAM_CALLBACK_IRQ, Domain+Upcall).
    var eventCallback = HVMCallback.none

    // MARK: - Grants

    /// The entries this domain grants to others (Kernel/Core/Grants).
    let grantTable: GrantTable
    /// The grants of others (or its own) this domain has mapped.
    let grantMappings = MaptrackTable()
}
