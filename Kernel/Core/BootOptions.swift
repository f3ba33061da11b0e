/// The hypervisor's command line, decoded.
///
/// The syntax follows Xen's: options separated by whitespace, each either
/// `name=value`, a bare `name` (a boolean set to true) or `no-name` (a
/// boolean set to false). A later occurrence of an option overrides an
/// earlier one. Quoting is not supported: no option needs spaces.
///
/// Decoding never fails and never traps: whatever the boot loader passed,
/// the result is the defaults overridden by every option that made sense,
/// plus a list of what did not, for the boot log.
public struct BootOptions {
    public var console: ConsoleDevice = .com1
    public var logLevel: LogLevel = .info
    public var testFault: TestFault = .none
    /// Memory for domain 0 in bytes; nil means "the builder decides".
    public var domain0Memory: UInt64? = nil
    /// Stay halted after a panic instead of rebooting, so the report stays
    /// on screen.
    public var noReboot = false
    /// The image path a boot loader such as GRUB puts before the options.
    public var imagePath: String? = nil

    /// Names of options this hypervisor does not know, printable-escaped.
    /// They are reported rather than fatal, so a command line written for
    /// Xen still boots.
    public var unknownOptions: [String] = []
    /// One message per option whose value was rejected, naming the option
    /// and the value.
    public var problems: [String] = []

    /// The defaults, as if the command line were empty.
    public init() {}

    public init(commandLine: [UInt8]) {
        var parser = BootOptionsParser()
        self = parser.parse(commandLine)
    }

    public init(commandLine: UnsafeBufferPointer<UInt8>) {
        self.init(commandLine: Array(commandLine))
    }

    /// The effective settings in command-line syntax, for the boot log.
    public var summary: String {
        var text = "console=\(console.keyword) loglvl=\(logLevel.keyword) test_fault=\(testFault.keyword)"
        if let domain0Memory { text += " dom0_mem=\(domain0Memory)" }
        if noReboot { text += " noreboot" }
        return text
    }
}
