import GuestSupport

/// A CPU exception in a guest is a guest bug: print what helps find it
/// (look the RIP up with `llvm-addr2line -f -e build/guests/NAME.elf RIP`),
/// then end the domain as crashed, so the bug is visible to the hypervisor
/// and to dom0 instead of hanging or triple-faulting.
@_cdecl("guest_exception")
func guestException(_ vector: UInt64, _ errorCode: UInt64, _ rip: UInt64, _ stackPointer: UInt64) {
    GuestExceptionReport.report(vector: vector, errorCode: errorCode, rip: rip, stackPointer: stackPointer)
}

enum GuestExceptionReport {
    nonisolated(unsafe) private static var reporting = false

    static func report(vector: UInt64, errorCode: UInt64, rip: UInt64, stackPointer: UInt64) -> Never {
        // A second exception while reporting: the report itself is broken,
        // so only try to end the domain.
        if reporting { SchedOp.shutdown(.crash) }
        reporting = true
        ConsoleIO.flush()
        print("guest: exception \(vector) (\(name(vector))) at RIP \(hex(rip, digits: 1)), error code \(hex(errorCode, digits: 1)), RSP \(hex(stackPointer, digits: 1))")
        if vector == 14 { print("guest: page fault address (CR2) \(hex(read_cr2(), digits: 1))") }
        SchedOp.shutdown(.crash)
    }

    /// Intel SDM Vol. 3A, Table 6-1.
    static func name(_ vector: UInt64) -> StaticString {
        switch vector {
        case 0: "divide error"
        case 1: "debug"
        case 2: "non-maskable interrupt"
        case 3: "breakpoint"
        case 4: "overflow"
        case 5: "bound range exceeded"
        case 6: "invalid opcode"
        case 7: "device not available"
        case 8: "double fault"
        case 10: "invalid TSS"
        case 11: "segment not present"
        case 12: "stack-segment fault"
        case 13: "general protection"
        case 14: "page fault"
        case 16: "x87 floating-point error"
        case 17: "alignment check"
        case 18: "machine check"
        case 19: "SIMD floating-point exception"
        case 20: "virtualization exception"
        case 21: "control protection"
        default: "reserved"
        }
    }
}
