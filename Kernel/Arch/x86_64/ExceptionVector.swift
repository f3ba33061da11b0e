/// The 32 CPU exception vectors, named for reports. xtool compiles this file
/// into the guests too (BuildFlags.guestSharedSwiftSources), so the
/// hypervisor's panic report and a guest's exception report name a vector
/// the same way.
enum ExceptionVector {
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
