/// Keeping a vCPU's runstate (VCPURunstate), and the guest's copy of it.
extension Domain {
    /// The vCPU changes state at `now`; the guest's area, if it has one, is
    /// rewritten. The area is a guest-virtual address, translated with the
    /// vCPU's page tables as they are now (as Xen does for an HVM vCPU); a
    /// write that fails (the guest unmapped it) is dropped, as in Xen.
    func changeRunstate(of vcpu: VCPU, to state: VCPURunstate.State, at now: UInt64,
                        backend: VirtualizationBackend) {
        vcpu.runstate.change(to: state, at: now)
        guard vcpu.runstate.area != nil else { return }
        try? writeRunstateArea(of: vcpu, guest: GuestMemory(memory: memory, state: backend.controlState(vcpu)))
    }

    /// The guest's copy, in the layout of its mode.
    func writeRunstateArea(of vcpu: VCPU, guest: GuestMemory) throws(HypercallError) {
        guard let area = vcpu.runstate.area else { return }
        if guest.state.longModeActive {
            try guest.write(vcpu.runstate.info, to: area)
        } else {
            try guest.write(vcpu.runstate.compatInfo, to: area)
        }
    }
}
