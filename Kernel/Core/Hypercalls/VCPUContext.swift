import XenPublic

/// XEN_DOMCTL_setvcpucontext with a struct vcpu_hvm_context: the start
/// state of a new domain's vCPU 0. Only the PVH start state is accepted
/// (32-bit protected mode, paging off, flat segments); the backend builds
/// exactly that, and takes the entry point and general registers from here.
enum VCPUContext {
    static func apply(_ context: vcpu_hvm_context, to domain: Domain, on hypervisor: Hypervisor) throws(HypercallError) {
        guard context.mode == UInt32(VCPU_HVM_MODE_32B) else { throw .invalidArgument }
        let start = context.cpu_regs.x86_32
        guard start.cr0 & 1 != 0, start.cr0 & (1 << 31) == 0 else { throw .invalidArgument }   // PE on, PG off
        guard start.cr4 == 0, start.efer == 0 else { throw .invalidArgument }
        let bases = [start.cs_base, start.ds_base, start.ss_base, start.es_base, start.tr_base]
        guard bases.allSatisfy({ $0 == 0 }) else { throw .invalidArgument }
        // Flat 4 GiB code, data and stack segments; the TSS limit is the TSS's own.
        let limits = [start.cs_limit, start.ds_limit, start.ss_limit, start.es_limit]
        guard limits.allSatisfy({ $0 == 0xFFFF_FFFF }) else { throw .invalidArgument }
        guard domain.memory.covers(UInt64(start.eip), count: 1) else { throw .invalidArgument }
        guard domain.state == .paused else { throw .busy }

        // The new vCPU 0 keeps the old one's VIRQ bindings: they belong to
        // ports that stay open (in Xen the vCPU itself stays).
        let bindings = domain.vcpus.first?.virtualInterruptPorts ?? VirtualInterruptBindings()
        for old in domain.vcpus { hypervisor.backend.destroyVCPU(old) }
        domain.vcpus.removeAll()
        let vcpu = VCPU(domainID: domain.id, index: 0)
        vcpu.virtualInterruptPorts = bindings
        // ESP is not part of the PVH start state and is left to the guest.
        vcpu.registers.pointee.rax = UInt64(start.eax)
        vcpu.registers.pointee.rcx = UInt64(start.ecx)
        vcpu.registers.pointee.rdx = UInt64(start.edx)
        vcpu.registers.pointee.rbx = UInt64(start.ebx)
        vcpu.registers.pointee.rbp = UInt64(start.ebp)
        vcpu.registers.pointee.rsi = UInt64(start.esi)
        vcpu.registers.pointee.rdi = UInt64(start.edi)
        do {
            try hypervisor.backend.createVCPU(vcpu, entryPoint: start.eip,
                                              nestedPagingRoot: domain.memory.nestedPageTable.root,
                                              ioPorts: domain.ioPortBitmap)
        } catch {
            throw .outOfMemory
        }
        domain.vcpus.append(vcpu)
    }
}
