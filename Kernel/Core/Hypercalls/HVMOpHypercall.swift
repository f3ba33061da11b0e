import XenPublic

/// hvm_op(cmd, arg): HVM parameters (HVMOP_set_param / HVMOP_get_param).
/// arg points at a `struct xen_hvm_param` { domid, pad, index, value }.
enum HVMOpHypercall {
    static func handle(_ call: HypercallArguments, _ context: HypercallContext) throws(HypercallError) -> UInt64 {
        guard let command = call.command else { throw .notImplemented }
        switch Int32(bitPattern: command) {
        case HVMOP_get_param:
            let (target, index) = try decode(call.second, context)
            try context.guest.write(target.hvmParameters[index], to: call.second + 8)
            return 0
        case HVMOP_set_param:
            let (target, index) = try decode(call.second, context)
            let value = try context.guest.readUInt64(call.second + 8)
            guard HVMParameterPolicy.maySet(index: index, caller: context.domain, target: target) else {
                throw .notPermitted
            }
            target.hvmParameters[index] = value
            return 0
        default:
            throw .notImplemented
        }
    }

    /// Reads domid and index, finds the domain, checks the caller may see it.
    private static func decode(_ address: UInt64, _ context: HypercallContext) throws(HypercallError) -> (Domain, Int) {
        let header = try context.guest.read(from: address, count: 8)
        let domainID = UInt16(header[0]) | UInt16(header[1]) << 8
        let index = header.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 4, as: UInt32.self) }
        let target = try context.hypervisor.domain(domainID, from: context.domain)
        guard Int(index) < HVMParameterPolicy.count else { throw .invalidArgument }
        return (target, Int(index))
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
