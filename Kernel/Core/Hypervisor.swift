import XenPublic

/// The hypervisor's state that is not per domain: the backend, the domains,
/// where memory comes from, and the few host facts guests may ask about.
/// One instance exists; Main builds it once virtualization is on.
final class Hypervisor {
    let backend: VirtualizationBackend
    /// Where every domain's frames come from, and the one record of which
    /// frames are mapped outside their owner (so are not to be freed).
    let frames: FrameReferences
    /// The hypervisor's own command line (XENVER_commandline).
    let commandLine: [UInt8]
    /// Runs CPUID on the real CPU (Arch provides it; tests fake it).
    let hostCPUID: (UInt32, UInt32) -> CPUIDValues

    /// What a guest may load into CR4: from the CPUID leaves guests see,
    /// which do not change while the machine runs.
    private(set) lazy var controlRegister4Policy = ControlRegister4Policy { leaf, subleaf in
        CPUIDPolicy.guestValues(leaf: leaf, subleaf: subleaf, host: hostCPUID)
    }

    private(set) var domains: [Domain] = []
    /// Set by SCHEDOP_yield: the scheduler should pick another vCPU.
    var yieldRequested = false
    /// What is typed on the machine's console, for dom0 (ConsoleInput).
    let consoleInput = ConsoleInput()

    init(backend: VirtualizationBackend, frames: FrameSource, commandLine: [UInt8],
         hostCPUID: @escaping (UInt32, UInt32) -> CPUIDValues) {
        self.backend = backend
        self.frames = FrameReferences(frames)
        self.commandLine = commandLine
        self.hostCPUID = hostCPUID
    }

    func add(_ domain: Domain) { domains.append(domain) }

    func remove(_ domain: Domain) { domains.removeAll { $0 === domain } }

    /// The domain a hypercall names. DOMID_SELF is the caller. Naming another
    /// domain needs privilege; a domain that does not exist is ESRCH either
    /// way, checked first, as Xen does.
    func domain(_ id: UInt16, from caller: Domain) throws(HypercallError) -> Domain {
        if id == UInt16(DOMID_SELF) || id == caller.id { return caller }
        guard let target = domains.first(where: { $0.id == id }) else { throw .noSuchDomain }
        guard caller.isPrivileged else { throw .notPermitted }
        return target
    }
}

/// EAX, EBX, ECX, EDX of one CPUID leaf.
struct CPUIDValues: Equatable {
    var eax: UInt32
    var ebx: UInt32
    var ecx: UInt32
    var edx: UInt32
}
