/// What one capability MSR says about one 32-bit control field (SDM A.3-A.5):
/// the low half holds the allowed 0-settings (a 1 there means the control
/// must be 1), the high half the allowed 1-settings (a 0 there means it
/// must be 0). VM entry fails if a control breaks either rule.
struct VMXControlCapability {
    var mustBeOne: UInt32
    var mayBeOne: UInt32

    /// The capability MSR's value: allowed 0-settings in bits 31:0,
    /// allowed 1-settings in bits 63:32.
    init(msrValue value: UInt64) {
        mustBeOne = UInt32(truncatingIfNeeded: value)
        mayBeOne = UInt32(truncatingIfNeeded: value >> 32)
    }

    init(mustBeOne: UInt32, mayBeOne: UInt32) {
        self.mustBeOne = mustBeOne
        self.mayBeOne = mayBeOne
    }

    /// The control value with every `required` bit, the `optional` bits the
    /// CPU allows, and the bits it insists on; nil if a required bit is not
    /// allowed.
    func settle(required: UInt32, optional: UInt32 = 0) -> UInt32? {
        guard required & ~mayBeOne == 0 else { return nil }
        return (required | (optional & mayBeOne) | mustBeOne) & mayBeOne
    }

    func allows(_ bits: UInt32) -> Bool { bits & ~mayBeOne == 0 }
}
