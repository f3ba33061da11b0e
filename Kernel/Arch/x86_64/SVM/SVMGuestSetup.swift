/// Fills a fresh VMCB, in two steps: what to intercept, and the state a PVH
/// guest starts in.
enum SVMGuestSetup {
    // CR write intercepts (VMCB offset 02h, the upper half of the CR
    // intercept word at 00h; APM Table B-1): bit n = MOV to CRn.
    private static let interceptCR4Write: UInt16 = 1 << 4
    // Intercept vector 3 (VMCB offset 0Ch), APM Table B-1.
    private static let interceptInterrupt: UInt32 = 1 << 0
    private static let interceptNMI: UInt32 = 1 << 1
    private static let interceptCPUID: UInt32 = 1 << 18
    private static let interceptINVD: UInt32 = 1 << 22
    private static let interceptHLT: UInt32 = 1 << 24
    private static let interceptIO: UInt32 = 1 << 27
    private static let interceptMSR: UInt32 = 1 << 28
    private static let interceptTaskSwitch: UInt32 = 1 << 29
    private static let interceptShutdown: UInt32 = 1 << 31
    // Intercept vector 4 (VMCB offset 10h).
    private static let interceptVMRUN: UInt32 = 1 << 0       // required by the architecture
    private static let interceptVMMCALL: UInt32 = 1 << 1
    private static let interceptOtherSVM: UInt32 = 0b1111100  // VMLOAD, VMSAVE, STGI, CLGI, SKINIT
    private static let interceptMonitorMwait: UInt32 = (1 << 10) | (1 << 11)
    private static let interceptXSETBV: UInt32 = 1 << 13

    /// `ioPermissionMap`: the domain's own (IOPortBitmap), or the shared
    /// one in `maps` where every port exits.
    static func writeControls(_ vmcb: VMCB, maps: SVMPermissionMaps, ioPermissionMap: UInt64,
                              nestedPagingRoot: UInt64, asid: UInt32) {
        // CR4 writes go to Core (ControlRegister4Policy): VMRUN refuses a
        // guest CR4 with a reserved bit set, so the guest's MOV must be
        // checked before the value reaches the VMCB. Task switches exit as
        // on VMX, where they always do: without the intercept the CPU would
        // switch tasks inside the guest, and the two vendors would differ.
        vmcb.write16(VMCB.interceptCRWrites, interceptCR4Write)
        vmcb.write32(VMCB.interceptMisc1, interceptInterrupt | interceptNMI | interceptCPUID | interceptINVD
                     | interceptHLT | interceptIO | interceptMSR | interceptTaskSwitch | interceptShutdown)
        vmcb.write32(VMCB.interceptMisc2, interceptVMRUN | interceptVMMCALL | interceptOtherSVM
                     | interceptMonitorMwait | interceptXSETBV)
        vmcb.write64(VMCB.ioPermissionMap, ioPermissionMap)
        vmcb.write64(VMCB.msrPermissionMap, maps.msrMap)
        // V_INTR_MASKING (APM 15.21.1): the guest's RFLAGS.IF masks only its
        // own virtual interrupts; physical ones are masked by the host's IF
        // as it was at VMRUN (1, see SVMEntry.S), so they always exit to us,
        // even while the guest runs with interrupts off. (Bochs 2.7, --cpu
        // ryzen, misses that case: it re-evaluates interrupt masking only
        // when RFLAGS.IF changes, and VMRUN loads the guest's IF before the
        // CPU counts as a guest. There a guest that spins with interrupts
        // off is preempted only at its next exit of any kind.)
        vmcb.write32(VMCB.interruptControl, 1 << 24)
        vmcb.write32(VMCB.guestASID, asid)
        vmcb.write8(VMCB.tlbControl, 1)                   // flush everything before the first run
        vmcb.write64(VMCB.nestedPagingEnable, 1)
        vmcb.write64(VMCB.nestedCR3, nestedPagingRoot)
        vmcb.write32(VMCB.cleanBits, 0)                   // nothing cached: we rewrite fields freely
    }

    // Segment attributes in the VMCB's packed form: type, S, DPL, P in bits
    // 7:0; AVL, L, D/B, G in bits 11:8.
    private static let flatCode32: UInt16 = 0xC9B        // execute/read, accessed, present, D, G
    private static let flatData: UInt16 = 0xC93          // read/write, accessed, present, B, G
    private static let busyTSS32: UInt16 = 0x08B         // busy 32-bit TSS, present
    private static let ldt: UInt16 = 0x082               // LDT, present

    /// The PVH start state (Xen's PVH boot ABI): 32-bit protected mode,
    /// paging off, flat 4 GiB CS/DS/ES/SS/FS/GS, a 32-bit TSS, interrupts off.
    static func writePVHStartState(_ vmcb: VMCB, entryPoint: UInt32) {
        vmcb.writeSegment(VMCB.cs, selector: 0x08, attributes: flatCode32, limit: 0xFFFF_FFFF, base: 0)
        for segment in [VMCB.ds, VMCB.es, VMCB.ss, VMCB.fs, VMCB.gs] {
            vmcb.writeSegment(segment, selector: 0x10, attributes: flatData, limit: 0xFFFF_FFFF, base: 0)
        }
        vmcb.writeSegment(VMCB.tr, selector: 0x18, attributes: busyTSS32, limit: 0x67, base: 0)
        vmcb.writeSegment(VMCB.ldtr, selector: 0, attributes: ldt, limit: 0, base: 0)
        vmcb.writeSegment(VMCB.gdtr, selector: 0, attributes: 0, limit: 0, base: 0)
        vmcb.writeSegment(VMCB.idtr, selector: 0, attributes: 0, limit: 0, base: 0)
        vmcb.write8(VMCB.cpl, 0)
        vmcb.write64(VMCB.efer, 1 << 12)                  // SVME must be set in the guest's EFER
        vmcb.write64(VMCB.cr0, 0x11)                      // PE, ET
        vmcb.write64(VMCB.cr3, 0)
        vmcb.write64(VMCB.cr4, 0)
        vmcb.write64(VMCB.dr7, 0x400)
        vmcb.write64(VMCB.dr6, 0xFFFF_0FF0)
        vmcb.write64(VMCB.rflags, 0x2)
        vmcb.write64(VMCB.rip, UInt64(entryPoint))
        vmcb.write64(VMCB.rsp, 0)
        vmcb.write64(VMCB.guestPAT, 0x0007_0406_0007_0406)   // the power-on PAT
    }
}
