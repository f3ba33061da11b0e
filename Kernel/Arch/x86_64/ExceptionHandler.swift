import Support

/// A CPU exception in the hypervisor itself is a bug: print everything that
/// helps find it, then end the machine with the panic status.
///
/// The report names the exception, the error code, where it happened (RIP,
/// and CR2 for a page fault), all general registers, and the words on the
/// interrupted stack that point into the hypervisor's code: those are the
/// return addresses of the calls that led here (look them up with
/// `llvm-addr2line -f -e build/hypervisor.elf ADDRESS`).
@_cdecl("exception_dispatch")
func exceptionDispatch(_ frame: UnsafeMutablePointer<ExceptionFrame>) {
    ExceptionReport.panic(frame.pointee)
}

enum ExceptionReport {
    nonisolated(unsafe) private static var reporting = false
    private static let stackWordsScanned = 512
    private static let returnAddressesShown = 16

    static func panic(_ frame: ExceptionFrame) -> Never {
        // An exception while reporting one: print the least, then stop.
        if reporting {
            print("(HV) panic: exception \(frame.vector) while reporting a panic, RIP \(hex(frame.rip))")
            MachineExit.exit(.panic, reason: "nested exception")
        }
        reporting = true
        Console.enabled = true
        let name = ExceptionVector.name(frame.vector)
        print("(HV) ")
        print("(HV) ***************************************************")
        print("(HV) panic: CPU exception \(frame.vector) (\(name)) in the hypervisor")
        print("(HV)   error code \(hex(frame.error_code, digits: 4))   RIP \(hex(frame.rip))   CR2 \(hex(read_cr2()))")
        print("(HV)   CS \(hex(frame.cs, digits: 4))  SS \(hex(frame.ss, digits: 4))  RFLAGS \(hex(frame.rflags, digits: 8))  RSP \(hex(frame.rsp))")
        printRegisters(frame)
        printReturnAddresses(stackPointer: frame.rsp)
        print("(HV) ***************************************************")
        MachineExit.exit(.panic, reason: "exception \(frame.vector): \(name) at \(hex(frame.rip))")
    }

    private static func printRegisters(_ f: ExceptionFrame) {
        print("(HV)   RAX \(hex(f.rax))  RBX \(hex(f.rbx))  RCX \(hex(f.rcx))")
        print("(HV)   RDX \(hex(f.rdx))  RSI \(hex(f.rsi))  RDI \(hex(f.rdi))")
        print("(HV)   RBP \(hex(f.rbp))  R8  \(hex(f.r8))  R9  \(hex(f.r9))")
        print("(HV)   R10 \(hex(f.r10))  R11 \(hex(f.r11))  R12 \(hex(f.r12))")
        print("(HV)   R13 \(hex(f.r13))  R14 \(hex(f.r14))  R15 \(hex(f.r15))")
        print("(HV)   CR0 \(hex(read_cr0()))  CR3 \(hex(read_cr3()))  CR4 \(hex(read_cr4()))")
    }

    /// Scans the interrupted stack for words that fall inside the
    /// hypervisor's code. Without frame-pointer discipline in every function
    /// this can show a stale address too, so it is labelled "probable".
    private static func printReturnAddresses(stackPointer: UInt64) {
        let textStart = text_start_address()
        let textEnd = text_end_address()
        guard stackPointer % 8 == 0, let limit = stackLimit(containing: stackPointer) else {
            print("(HV)   stack: RSP is outside every known hypervisor stack, not scanned")
            return
        }
        print("(HV)   probable return addresses, innermost first:")
        var shown = 0
        var address = stackPointer
        while address + 8 <= limit && shown < returnAddressesShown
                && (address - stackPointer) / 8 < UInt64(stackWordsScanned) {
            let word = UnsafePointer<UInt64>(bitPattern: UInt(address))!.pointee
            if word >= textStart && word < textEnd {
                print("(HV)     [\(hex(address))] \(hex(word))")
                shown += 1
            }
            address += 8
        }
        if shown == 0 { print("(HV)     none found") }
    }

    /// The top of the stack RSP is on, if it is the boot stack. (Only the
    /// boot stack exists so far; per-CPU and per-vCPU stacks join later.)
    private static func stackLimit(containing stackPointer: UInt64) -> UInt64? {
        let bottom = boot_stack_bottom_address()
        let top = boot_stack_top_address()
        return stackPointer >= bottom && stackPointer < top ? top : nil
    }
}
