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
        print("guest: exception \(vector) (\(ExceptionVector.name(vector))) at RIP \(hex(rip, digits: 1)), error code \(hex(errorCode, digits: 1)), RSP \(hex(stackPointer, digits: 1))")
        if vector == 14 { print("guest: page fault address (CR2) \(hex(read_cr2(), digits: 1))") }
        SchedOp.shutdown(.crash)
    }
}
