import XenPublic

/// xen_version(cmd, arg): what hypervisor this is. A PVH guest asks at boot
/// (Linux prints the version and reads the feature bits).
enum XenVersionHypercall {
    /// The interface version we speak: the guest ABI of Xen 4.19, as far
    /// as it is implemented here.
    static let major: UInt64 = 4
    static let minor: UInt64 = 19
    static let extraVersion = ".0-swift"
    static let capabilities = "hvm-3.0-x86_64 hvm-3.0-x86_32 hvm-3.0-x86_32p"

    @Sendable static func handle(_ call: HypercallArguments, _ context: HypercallContext) throws(HypercallError) -> UInt64 {
        guard let command = call.command else { throw .notImplemented }
        let buffer = call.second
        switch Int32(bitPattern: command) {
        case XENVER_version:
            return (major << 16) | minor
        case XENVER_extraversion:
            try context.guest.write(fixedString(extraVersion, size: 16), to: buffer)
            return 0
        case XENVER_capabilities:
            try context.guest.write(fixedString(capabilities, size: 1024), to: buffer)
            return 0
        case XENVER_changeset:
            try context.guest.write(fixedString("unknown changeset", size: 64), to: buffer)
            return 0
        case XENVER_compile_info:
            try context.guest.write(compileInfo(), to: buffer)
            return 0
        case XENVER_platform_parameters:
            // No hypervisor hole in a PVH guest's address space.
            try context.guest.write(xen_platform_parameters(virt_start: 0), to: buffer)
            return 0
        case XENVER_get_features:
            // In: submap_idx; out: the same struct with submap filled in.
            var info = try context.guest.read(xen_feature_info.self, at: buffer)
            info.submap = featureBits(submap: info.submap_idx, domain: context.domain)
            try context.guest.write(info, to: buffer)
            return 0
        case XENVER_pagesize:
            return 4096
        case XENVER_guest_handle:
            // xen_domain_handle_t: the 16 bytes the toolstack gave createdomain.
            try context.guest.write(context.domain.handle, to: buffer)
            return 0
        case XENVER_commandline:
            // The hypervisor's command line is the privileged domain's business.
            guard context.domain.isPrivileged else { throw .notPermitted }
            try context.guest.write(fixedString(context.hypervisor.commandLine, size: 1024), to: buffer)
            return 0
        default:
            throw .notImplemented
        }
    }

    /// XENVER_get_features: bit n of submap 0 is XENFEAT n.
    static func featureBits(submap: UInt32, domain: Domain) -> UInt32 {
        guard submap == 0 else { return 0 }
        // PVH guests run on nested paging: their page tables are ordinary
        // writable memory and their "physical" addresses are translated.
        // Events arrive as an interrupt at the vector the guest picks with
        // HVM_PARAM_CALLBACK_IRQ (Domain+Upcall).
        var bits: UInt32 = (1 << UInt32(XENFEAT_writable_page_tables))
            | (1 << UInt32(XENFEAT_auto_translated_physmap))
            | (1 << UInt32(XENFEAT_hvm_callback_vector))
            // The vcpu_time_info pvclock stays coherent for HVM-style guests
            // (published at every slice start, Domain+VCPUInfo), and the
            // runstate area Linux then registers is kept (VCPURunstate).
            | (1 << UInt32(XENFEAT_hvm_safe_pvclock))
        if domain.isPrivileged { bits |= 1 << UInt32(XENFEAT_dom0) }
        return bits
    }

    /// The compiler only: who built the image, where and when is not
    /// recorded in it, so those strings are empty.
    static func compileInfo() -> xen_compile_info {
        var info = xen_compile_info()
        withUnsafeMutableBytes(of: &info.compiler) { field in
            field.copyBytes(from: fixedString("swiftc (Embedded Swift)", size: field.count))
        }
        return info
    }

    /// `text` as a NUL-padded buffer of exactly `size` bytes (cut if longer,
    /// always NUL-terminated).
    static func fixedString(_ text: String, size: Int) -> [UInt8] {
        var bytes = Array(text.utf8.prefix(size - 1))
        bytes += [UInt8](repeating: 0, count: size - bytes.count)
        return bytes
    }

    static func fixedString(_ text: [UInt8], size: Int) -> [UInt8] {
        var bytes = Array(text.prefix(size - 1))
        bytes += [UInt8](repeating: 0, count: size - bytes.count)
        return bytes
    }
}
