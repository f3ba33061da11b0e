import XenPublic

/// hvm_op get_param / set_param: per-domain values the hypervisor and the
/// toolstack leave for a guest, such as where its console ring or
/// xenstore page is (HVM_PARAM_*).
enum HVMParameters {
    /// The value of parameter `index` of `domain` (normally this domain).
    static func get(_ index: UInt32, domain: domid_t = domid_t(DOMID_SELF)) throws(HypercallFailure) -> UInt64 {
        var parameter = xen_hvm_param(domid: domain, pad: 0, index: index, value: 0)
        try call(HVMOP_get_param, &parameter)
        return parameter.value
    }

    /// Sets parameter `index` of `domain` to `value`.
    static func set(_ index: UInt32, _ value: UInt64, domain: domid_t = domid_t(DOMID_SELF)) throws(HypercallFailure) {
        var parameter = xen_hvm_param(domid: domain, pad: 0, index: index, value: value)
        try call(HVMOP_set_param, &parameter)
    }

    private static func call(_ operation: Int32, _ parameter: inout xen_hvm_param) throws(HypercallFailure) {
        let result = withUnsafeMutablePointer(to: &parameter) { pointer in
            Hypercall.call(UInt64(__HYPERVISOR_hvm_op), UInt64(operation), Hypercall.argument(pointer))
        }
        if result < 0 { throw HypercallFailure(result: result) }
    }
}
