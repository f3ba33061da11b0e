import XenPublic

/// One boot module of the start info (struct hvm_modlist_entry): a blob in
/// guest memory, such as another domain's kernel image, with its own
/// command line.
struct StartInfoModule {
    let address: UInt64
    let size: UInt64
    /// Nil when the module has no command line.
    let commandLine: GuestString?

    init(_ entry: hvm_modlist_entry) {
        address = entry.paddr
        size = entry.size
        commandLine = entry.cmdline_paddr == 0 ? nil : GuestString(address: entry.cmdline_paddr)
    }

    /// The module's bytes (identity-mapped).
    var bytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: UnsafeRawPointer(bitPattern: UInt(address)), count: Int(size))
    }
}
