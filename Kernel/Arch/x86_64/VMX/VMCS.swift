import Support

/// Reads and writes fields of the *current* VMCS, the one the last VMPTRLD
/// made current on this CPU (SDM 24.11.1). The VMCS lives in memory, but its
/// layout there is the CPU's secret: VMREAD and VMWRITE are the only way in.
enum VMCS {
    static func read(_ field: VMCSField) -> UInt64 {
        vmx_read(UInt64(field.rawValue))
    }

    static func read32(_ field: VMCSField) -> UInt32 {
        UInt32(truncatingIfNeeded: read(field))
    }

    /// False when VMWRITE failed: the field does not exist on this CPU, is
    /// read-only, or there is no current VMCS (see `instructionError`).
    @discardableResult
    static func write(_ field: VMCSField, _ value: UInt64) -> Bool {
        vmx_write(UInt64(field.rawValue), value)
    }

    @discardableResult
    static func write(_ field: VMCSField, _ value: UInt32) -> Bool {
        write(field, UInt64(value))
    }

    @discardableResult
    static func write(_ field: VMCSField, _ value: UInt16) -> Bool {
        write(field, UInt64(value))
    }

    /// Why the last VMX instruction on the current VMCS failed with
    /// VMfailValid (SDM 31.4 "VM instruction error numbers").
    static var instructionError: UInt32 { read32(.instructionError) }
}

/// The current VMCS as a `VMCSReader`, for the exit decoder.
struct CurrentVMCS: VMCSReader {
    func read(_ field: VMCSField) -> UInt64 { VMCS.read(field) }
}

/// Collects VMWRITEs while a VMCS is filled in, so that setup can be one
/// list of writes and one check at the end.
struct VMCSWriter {
    /// The first field whose VMWRITE failed, and the VM-instruction error.
    private(set) var firstFailure: (field: VMCSField, error: UInt32)?

    mutating func callAsFunction(_ field: VMCSField, _ value: UInt64) {
        if !VMCS.write(field, value), firstFailure == nil {
            firstFailure = (field, VMCS.instructionError)
        }
    }

    mutating func callAsFunction(_ field: VMCSField, _ value: UInt32) {
        self(field, UInt64(value))
    }

    mutating func callAsFunction(_ field: VMCSField, _ value: UInt16) {
        self(field, UInt64(value))
    }
}
