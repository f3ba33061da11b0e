@testable import KernelCore

/// A VMCS for the exit decoder: the fields a test sets, and a log of the
/// fields the decoder asked for (on the machine each is one VMREAD). A
/// field the test did not set reads as a pattern no decoder case expects.
final class FakeVMCS: VMCSReader {
    static let unsetValue: UInt64 = 0xDEAD_BEEF_DEAD_BEEF

    var fields: [VMCSField: UInt64]
    private(set) var reads: [VMCSField] = []

    init(_ fields: [VMCSField: UInt64] = [:]) {
        self.fields = fields
    }

    func read(_ field: VMCSField) -> UInt64 {
        reads.append(field)
        return fields[field] ?? Self.unsetValue
    }
}
