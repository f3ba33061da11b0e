/// The local APIC ID of a vCPU: its index. One rule in one small file, so
/// that the vCPU's VirtualAPIC and the MADT that describes it (ACPITables,
/// which dom0 builds for its domUs too: BuildFlags.guestSharedSwiftSources)
/// cannot disagree.
enum LocalAPICID {
    static func ofVCPU(_ index: Int) -> UInt32 { UInt32(index) }
}
