import XenPublic

/// hvm_op(cmd, arg): HVM parameters (HVMOP_set_param / HVMOP_get_param)
/// and the per-vCPU upcall vector (HVMOP_set_evtchn_upcall_vector).
/// arg points at a `struct xen_hvm_param` { domid, pad, index, value },
/// read whole first (so an unreadable one is -EFAULT before anything is
/// checked, as in Xen); get_param writes it back whole with the value.
enum HVMOpHypercall {
    @Sendable static func handle(_ call: HypercallArguments, _ context: HypercallContext) throws(HypercallError) -> UInt64 {
        guard let command = call.command else { throw .notImplemented }
        switch Int32(bitPattern: command) {
        case HVMOP_get_param:
            var parameter = try context.guest.read(xen_hvm_param.self, at: call.second)
            let (target, index) = try find(parameter, context)
            parameter.value = target.hvmParameters[index]
            try context.guest.write(parameter, to: call.second)
            return 0
        case HVMOP_set_param:
            let parameter = try context.guest.read(xen_hvm_param.self, at: call.second)
            let (target, index) = try find(parameter, context)
            guard HVMParameterPolicy.maySet(index: index, caller: context.domain, target: target) else {
                throw .notPermitted
            }
            if index == Int(HVM_PARAM_CALLBACK_IRQ) {
                target.eventCallback = try callback(parameter.value, for: target)
            }
            target.hvmParameters[index] = parameter.value
            return 0
        case HVMOP_set_evtchn_upcall_vector:
            let request = try context.guest.read(xen_hvm_evtchn_upcall_vector.self, at: call.second)
            // Xen's bounds: vectors 0-15 are exceptions, never interrupts.
            guard request.vector >= 0x10 else { throw .invalidArgument }
            guard let vcpu = context.domain.vcpu(at: request.vcpu) else { throw .noSuchEntry }
            vcpu.upcallVector = request.vector
            // An upcall already owed is not lost by the switch.
            if let info = context.domain.vcpuInfo(of: vcpu), info.pointee.evtchn_upcall_pending != 0 {
                context.domain.raisePerVCPUUpcall(vcpu)
            }
            return 0
        default:
            throw .notImplemented
        }
    }

    /// HVM_PARAM_CALLBACK_IRQ's new delivery. A GSI (type 0) cannot be
    /// delivered here (no interrupt controller is emulated) and is
    /// -EINVAL, except once every event of the domain comes through
    /// per-vCPU vectors anyway: Linux, after choosing vCPU 0's vector,
    /// writes GSI 1 here only to tell the toolstack it takes events, and
    /// Xen, too, then delivers through the vCPU's vector and ignores this.
    private static func callback(_ value: UInt64, for target: Domain) throws(HypercallError) -> HVMCallback {
        if let callback = HVMCallback(parameter: value) { return callback }
        let isGSI = value >> 56 == 0
        guard isGSI, target.vcpus.first?.upcallVector != nil else { throw .invalidArgument }
        return .none
    }

    /// The domain the parameter belongs to, if the caller may see it, and
    /// the parameter's index, if there is such a parameter.
    private static func find(_ parameter: xen_hvm_param,
                             _ context: HypercallContext) throws(HypercallError) -> (Domain, Int) {
        let target = try context.hypervisor.domain(parameter.domid, from: context.domain)
        guard Int(parameter.index) < HVMParameterPolicy.count else { throw .invalidArgument }
        return (target, Int(parameter.index))
    }
}

/// Which HVM parameters exist here and who may change them.
enum HVMParameterPolicy {
    static let count = Int(HVM_NR_PARAMS)

    /// A guest may set its own event-callback parameter; everything else
    /// (store and console rings and their event channels) is the domain
    /// builder's, that is, a privileged domain's.
    static func maySet(index: Int, caller: Domain, target: Domain) -> Bool {
        if caller.isPrivileged { return true }
        return caller === target && index == Int(HVM_PARAM_CALLBACK_IRQ)
    }
}
