import XenPublic

/// The vCPU state a PVH kernel expects at its entry (the PVH boot
/// protocol): 32-bit protected mode, paging off, flat 4 GiB code and data
/// segments, interrupts off, EBX = the guest-physical address of its
/// hvm_start_info. The hypervisor starts dom0 this way; dom0 asks for the
/// same state for the domains it builds (domctl setvcpucontext).
enum PVHStartContext {
    /// CR0.PE (protected mode) and CR0.ET (always 1 on modern CPUs).
    private static let protectedMode: UInt32 = 0x11
    /// Segment attributes in the 12-bit layout of hvm_vcpu.h (and of AMD's
    /// VMCB): the descriptor's type, S, DPL, P in bits 7:0, then AVL, L,
    /// D/B, G in bits 11:8. This one: present, ring 0, code, readable,
    /// accessed, 32-bit (D), 4 KiB granularity (G).
    private static let flatCode: UInt16 = 0xC9B
    /// The same for a writable data segment.
    private static let flatData: UInt16 = 0xC93
    /// A present, busy 32-bit TSS: VM entry wants a usable task register.
    private static let busyTSS: UInt16 = 0x8B
    /// EFLAGS bit 1 is always set; IF stays clear.
    private static let eflags: UInt32 = 0x2

    static func make(entry: UInt32, startInfo: UInt32) -> vcpu_hvm_context {
        var context = vcpu_hvm_context()
        context.mode = UInt32(VCPU_HVM_MODE_32B)
        var cpu = vcpu_hvm_x86_32()
        cpu.eip = entry
        cpu.ebx = startInfo
        cpu.eflags = eflags
        cpu.cr0 = protectedMode
        // cr3, cr4, efer and every base stay 0: flat segments, no paging.
        cpu.cs_limit = 0xFFFF_FFFF
        cpu.ds_limit = 0xFFFF_FFFF
        cpu.ss_limit = 0xFFFF_FFFF
        cpu.es_limit = 0xFFFF_FFFF
        cpu.tr_limit = 0x67              // a 32-bit TSS is 104 bytes
        cpu.cs_ar = flatCode
        cpu.ds_ar = flatData
        cpu.ss_ar = flatData
        cpu.es_ar = flatData
        cpu.tr_ar = busyTSS
        context.cpu_regs.x86_32 = cpu
        return context
    }
}
