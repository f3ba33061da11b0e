/// Something the VMX exit decoder can ask for VMCS fields by name.
///
/// On the machine that is the current VMCS (`CurrentVMCS`, one VMREAD per
/// question); in the host unit tests it is a table of made-up values. The
/// decoder asks only for the fields an exit needs, when it needs them, so
/// both answer the same questions in the same order.
protocol VMCSReader {
    func read(_ field: VMCSField) -> UInt64
}

extension VMCSReader {
    func read32(_ field: VMCSField) -> UInt32 {
        UInt32(truncatingIfNeeded: read(field))
    }
}
