import XenPublic

/// XEN_DOMCTL_setvcpucontext with a struct vcpu_hvm_context: the start
/// state of a new domain's vCPU 0. Only the PVH start state is accepted
/// (32-bit protected mode, paging off, flat segments); the backend builds
/// exactly that, and takes the entry point and general registers from here.
enum VCPUContext {
    // Offsets into struct vcpu_hvm_context (mode at 0, the 32-bit registers at 8).
    private static let mode = 0
    private static let registers = 8
    private static let eip = 8 + 32, cr0 = 8 + 40, cr4 = 8 + 48, efer = 8 + 56
    private static let bases = 8 + 64            // cs, ds, ss, es, tr: 5 x UInt32
    private static let limits = 8 + 84           // cs, ds, ss, es, tr: 5 x UInt32

    static func apply(_ context: GuestRecord, to domain: Domain, on hypervisor: Hypervisor) throws(HypercallError) {
        guard context.u32(mode) == UInt32(VCPU_HVM_MODE_32B) else { throw .invalidArgument }
        let cr0Value = context.u32(cr0)
        guard cr0Value & 1 != 0, cr0Value & (1 << 31) == 0 else { throw .invalidArgument }   // PE on, PG off
        guard context.u32(cr4) == 0, context.u64(efer) == 0 else { throw .invalidArgument }
        for segment in 0..<5 {
            guard context.u32(bases + segment * 4) == 0 else { throw .invalidArgument }
        }
        for segment in 0..<4 {
            guard context.u32(limits + segment * 4) == 0xFFFF_FFFF else { throw .invalidArgument }
        }
        let entry = context.u32(eip)
        guard domain.memory.covers(UInt64(entry), count: 1) else { throw .invalidArgument }
        guard domain.state == .paused else { throw .busy }

        // The new vCPU 0 keeps the old one's VIRQ bindings: they belong to
        // ports that stay open (in Xen the vCPU itself stays).
        let bindings = domain.vcpus.first?.virtualInterruptPorts ?? VirtualInterruptBindings()
        for old in domain.vcpus { hypervisor.backend.destroyVCPU(old) }
        domain.vcpus.removeAll()
        let vcpu = VCPU(domainID: domain.id, index: 0)
        vcpu.virtualInterruptPorts = bindings
        // eax, ecx, edx, ebx, esp, ebp, esi, edi in that order; ESP is not
        // part of the PVH start state and is left to the guest.
        vcpu.registers.pointee.rax = UInt64(context.u32(registers + 0))
        vcpu.registers.pointee.rcx = UInt64(context.u32(registers + 4))
        vcpu.registers.pointee.rdx = UInt64(context.u32(registers + 8))
        vcpu.registers.pointee.rbx = UInt64(context.u32(registers + 12))
        vcpu.registers.pointee.rbp = UInt64(context.u32(registers + 20))
        vcpu.registers.pointee.rsi = UInt64(context.u32(registers + 24))
        vcpu.registers.pointee.rdi = UInt64(context.u32(registers + 28))
        do {
            try hypervisor.backend.createVCPU(vcpu, entryPoint: entry,
                                              nestedPagingRoot: domain.memory.nestedPageTable.root)
        } catch {
            throw .outOfMemory
        }
        domain.vcpus.append(vcpu)
    }
}
