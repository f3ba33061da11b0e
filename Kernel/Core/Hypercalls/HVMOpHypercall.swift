import XenPublic

/// hvm_op(cmd, arg): HVM parameters (HVMOP_set_param / HVMOP_get_param).
/// arg points at a `struct xen_hvm_param` { domid, pad, index, value },
/// read whole first (so an unreadable one is -EFAULT before anything is
/// checked, as in Xen); get_param writes it back whole with the value.
enum HVMOpHypercall {
    static func handle(_ call: HypercallArguments, _ context: HypercallContext) throws(HypercallError) -> UInt64 {
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
                guard let callback = HVMCallback(parameter: parameter.value) else { throw .invalidArgument }
                target.eventCallback = callback
            }
            target.hvmParameters[index] = parameter.value
            return 0
        default:
            throw .notImplemented
        }
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
