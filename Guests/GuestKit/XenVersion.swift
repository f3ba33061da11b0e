import XenPublic

/// xen_version: what the hypervisor underneath says it is.
enum XenVersion {
    /// major.minor.
    static func version() throws(HypercallFailure) -> XenVersionNumber {
        let packed = try Hypercall.checked(__HYPERVISOR_xen_version, UInt64(XENVER_version))
        return XenVersionNumber(major: UInt32(truncatingIfNeeded: packed >> 16),
                                minor: UInt32(truncatingIfNeeded: packed & 0xFFFF))
    }

    /// The version suffix, such as "-swift" (up to 15 characters).
    static func extraVersion() throws(HypercallFailure) -> GuestString {
        try text(XENVER_extraversion, bufferSize: MemoryLayout<xen_extraversion_t>.size)
    }

    /// The guest kinds the hypervisor runs, space-separated ("hvm-3.0-x86_64 ").
    static func capabilities() throws(HypercallFailure) -> GuestString {
        try text(XENVER_capabilities, bufferSize: MemoryLayout<xen_capabilities_info_t>.size)
    }

    /// Feature bits 32 * submap ..< 32 * submap + 32 (XENFEAT_*; submap 0
    /// holds all of them so far).
    static func features(submap: UInt32) throws(HypercallFailure) -> UInt32 {
        var info = xen_feature_info(submap_idx: submap, submap: 0)
        let result = withUnsafeMutablePointer(to: &info) { pointer in
            Hypercall.call(UInt64(__HYPERVISOR_xen_version), UInt64(XENVER_get_features),
                           Hypercall.argument(pointer))
        }
        if result < 0 { throw HypercallFailure(result: result) }
        return info.submap
    }

    /// Runs a sub-op that fills a NUL-terminated text buffer, and keeps the text.
    private static func text(_ operation: Int32, bufferSize: Int) throws(HypercallFailure) -> GuestString {
        // One byte more than the hypervisor may fill, always zero: the
        // text ends even if the hypervisor wrote no NUL.
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: bufferSize + 1)
        buffer.initialize(repeating: 0)
        _ = try Hypercall.checked(__HYPERVISOR_xen_version, UInt64(operation),
                                  Hypercall.argument(buffer.baseAddress!))
        return GuestString(address: Hypercall.argument(buffer.baseAddress!), maximumLength: bufferSize)
    }
}

/// The hypervisor's version, as xen_version packs it: (major << 16) | minor.
struct XenVersionNumber {
    let major: UInt32
    let minor: UInt32
}
