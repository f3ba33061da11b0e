import XenPublic

/// console_io(cmd, count, buffer): the hypervisor console, for guests that
/// have nothing better yet; CONSOLEIO_read gives dom0 what was typed on it
/// (ConsoleInput), any other domain -EPERM. Output is printed a line at a time behind the
/// domain's "(dN) " prefix, with control characters replaced, so that no
/// guest can forge a hypervisor line (xtool trusts "(HV) exit:" lines).
enum ConsoleIOHypercall {
    /// Bytes copied per step; a write is printed as it is copied, so a fault
    /// in a later chunk leaves the earlier ones printed (and returns EFAULT).
    static let chunkSize = 1024
    /// The most one call may write.
    static let maximumWrite = 64 * 1024
    static let maximumLine = 200

    @Sendable static func handle(_ call: HypercallArguments, _ context: HypercallContext) throws(HypercallError) -> UInt64 {
        guard let command = call.command else { throw .notImplemented }
        switch Int32(bitPattern: command) {
        case CONSOLEIO_write:
            // LAB 2 BEGIN: CONSOLEIO_write: count in the second argument, the buffer in the third
            // LAB 2 STUB: fatalError("lab 2: CONSOLEIO_write is yours to write (Docs/labs/lab2-first-hypercall.md)")
            let count = call.second
            guard count <= UInt64(maximumWrite) else { throw .invalidArgument }
            var done: UInt64 = 0
            while done < count {
                let chunk = min(count - done, UInt64(chunkSize))
                let bytes = try context.guest.read(from: call.third &+ done, count: Int(chunk))
                for byte in bytes { append(byte, to: context.domain) }
                done += chunk
            }
            return 0
            // LAB 2 END
        case CONSOLEIO_read:
            // The machine's console input is dom0's, as in Xen; up to
            // `count` bytes into the buffer, and the number read returned.
            guard context.domain.isPrivileged else { throw .notPermitted }
            let count = call.second
            guard count <= UInt64(maximumWrite) else { throw .invalidArgument }
            let input = context.hypervisor.consoleInput
            let wanted = min(Int(count), input.pending)
            guard wanted > 0 else { return 0 }
            // Checked before anything is taken: a bad buffer loses no input.
            _ = try context.guest.read(from: call.third, count: wanted)
            try context.guest.write(input.take(wanted), to: call.third)
            return UInt64(wanted)
        default:
            throw .notImplemented
        }
    }

    /// Adds one byte to the domain's console line, printing the line at a
    /// newline or when it is full. A carriage return is dropped: terminal
    /// drivers end lines with CR LF (Linux's hvc console does), and the
    /// line is printed at the LF anyway.
    static func append(_ byte: UInt8, to domain: Domain) {
        if byte == UInt8(ascii: "\n") {
            flush(domain)
            return
        }
        if byte == UInt8(ascii: "\r") { return }
        let printable = (byte >= 0x20 && byte < 0x7F) || byte == UInt8(ascii: "\t")
        domain.consoleLine.append(printable ? byte : UInt8(ascii: "?"))
        if domain.consoleLine.count >= maximumLine { flush(domain) }
    }

    static func flush(_ domain: Domain) {
        print(domain.consolePrefix + String(decoding: domain.consoleLine, as: UTF8.self))
        domain.consoleLine.removeAll(keepingCapacity: true)
    }
}
