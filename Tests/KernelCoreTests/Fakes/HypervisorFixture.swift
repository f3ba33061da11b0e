import XCTest
import XenPublic
@testable import KernelCore

/// A hypervisor on fake memory and a fake backend, with a privileged dom0
/// (id 0) and an unprivileged domU (id 1), 1 MiB each, both listed. The
/// guests start in 32-bit protected mode with paging off, so guest-linear
/// addresses in the tests are guest-physical.
final class HypervisorFixture {
    static let memoryBytes: UInt64 = 1 << 20

    let fake: FakePhysicalMemory
    let backend: FakeBackend
    let hypervisor: Hypervisor
    let dom0: Domain
    let domU: Domain
    /// The CPUID leaves the handler asked the host for.
    private(set) var hostCPUIDCalls: [(UInt32, UInt32)] = []
    var hostCPUID: (UInt32, UInt32) -> CPUIDValues = { _, _ in CPUIDValues(eax: 0, ebx: 0, ecx: 0, edx: 0) }

    /// `spareFrames`: free frames left after dom0 and domU are built (more
    /// for tests that create domains).
    init(format: PageTableFormat = .npt, commandLine: String = "console=com1 loglvl=debug",
         spareFrames: Int = 8) {
        fake = FakePhysicalMemory(frames: 2 * 256 + 8 + spareFrames)
        backend = FakeBackend(format: format)
        backend.state = GuestControlState(rip: 0x10_0000, cr0: 1)
        var forward: ((UInt32, UInt32) -> CPUIDValues)!
        hypervisor = Hypervisor(backend: backend, frames: fake, commandLine: Array(commandLine.utf8),
                                hostCPUID: { forward($0, $1) })
        dom0 = Domain(id: 0, name: "dom0", isPrivileged: true,
                      memory: try! DomainMemory(bytes: Self.memoryBytes, format: format, frames: hypervisor.frames))
        domU = Domain(id: 1, name: "domU", isPrivileged: false,
                      memory: try! DomainMemory(bytes: Self.memoryBytes, format: format, frames: hypervisor.frames))
        for domain in [dom0, domU] {
            domain.vcpus.append(VCPU(domainID: domain.id, index: 0))
            domain.state = .running
            hypervisor.add(domain)
        }
        forward = { [unowned self] leaf, subleaf in
            hostCPUIDCalls.append((leaf, subleaf))
            return hostCPUID(leaf, subleaf)
        }
    }

    func context(_ domain: Domain) -> HypercallContext {
        HypercallContext(hypervisor: hypervisor, domain: domain, vcpu: domain.vcpus[0])
    }

    /// Runs one hypercall through the dispatcher, as `domain`.
    func call(_ domain: Domain, _ number: Int32, _ arguments: UInt64...) -> UInt64 {
        var padded = arguments + [UInt64](repeating: 0, count: 5 - arguments.count)
        padded = Array(padded.prefix(5))
        let call = HypercallArguments(number: UInt64(number), padded[0], padded[1], padded[2], padded[3], padded[4])
        return HypercallDispatcher.dispatch(call, context(domain)).value
    }

    func handler(_ domain: Domain) -> VMExitHandler {
        VMExitHandler(hypervisor: hypervisor, domain: domain, vcpu: domain.vcpus[0])
    }

    func registers(_ domain: Domain) -> UnsafeMutablePointer<GuestRegisters> { domain.vcpus[0].registers }

    func release() {
        dom0.memory.release()
        domU.memory.release()
    }
}

/// What the guest finds in RAX for each error.
enum ReturnValue {
    static let ok: UInt64 = 0
    static let EPERM = UInt64(bitPattern: -1)
    static let ESRCH = UInt64(bitPattern: -3)
    static let EFAULT = UInt64(bitPattern: -14)
    static let EINVAL = UInt64(bitPattern: -22)
    static let ENOSYS = UInt64(bitPattern: -38)
}

extension VMExit {
    static func make(_ reason: VMExitReason, length: UInt8 = 0, name: StaticString = "TEST", code: UInt64 = 0) -> VMExit {
        VMExit(reason: reason, instructionLength: length, hardwareName: name, hardwareCode: code)
    }
}
