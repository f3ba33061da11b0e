import GuestSupport
import XenPublic

/// The console_io hypercall: writing to the hypervisor's console, the
/// guest's only output before it has a console ring of its own. The
/// hypervisor puts a domain prefix such as "(d0) " before each line, so
/// guests print plain text.
///
/// Swift's `print` arrives here byte by byte through `putchar`; a whole line
/// is collected first and sent with one hypercall, which is both cheaper
/// and keeps lines from different domains from interleaving mid-line.
enum ConsoleIO {
    /// Bytes waiting in `console_line_buffer`.
    nonisolated(unsafe) private static var pending = 0

    /// console_io write: the hypervisor prints `bytes` as they are.
    static func write(_ bytes: UnsafeRawBufferPointer) throws(HypercallFailure) {
        guard let start = bytes.baseAddress, bytes.count > 0 else { return }
        _ = try Hypercall.checked(__HYPERVISOR_console_io, UInt64(CONSOLEIO_write),
                                  UInt64(bytes.count), Hypercall.argument(start))
    }

    /// console_io write of a literal.
    static func write(_ text: StaticString) {
        try? write(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// console_io read: up to `buffer.count` bytes of console input; returns
    /// how many arrived (our hypervisor has no console input: always 0).
    static func read(into buffer: UnsafeMutableRawBufferPointer) throws(HypercallFailure) -> Int {
        Int(try Hypercall.checked(__HYPERVISOR_console_io, UInt64(CONSOLEIO_read),
                                  UInt64(buffer.count), Hypercall.argument(buffer.baseAddress!)))
    }

    /// Sends what `putchar` has collected, even without a newline at the end.
    static func flush() {
        guard pending > 0 else { return }
        try? write(UnsafeRawBufferPointer(start: console_line_address(), count: pending))
        pending = 0
    }

    fileprivate static func put(_ byte: UInt8) {
        console_line_address()[pending] = byte
        pending += 1
        if byte == UInt8(ascii: "\n") || pending == Int(console_line_size()) { flush() }
    }
}

/// Embedded Swift's `print` writes through `putchar`.
@_cdecl("putchar")
func putchar(_ character: CInt) -> CInt {
    ConsoleIO.put(UInt8(truncatingIfNeeded: character))
    return character
}
