/// The VMCB's EVENTINJ field: an event VMRUN delivers to the guest before
/// its first instruction (AMD APM Vol. 2, 15.20).
enum SVMEventInjection {
    /// Bits 7:0 the vector, 10:8 the type (3 = exception), 11 EV (an error
    /// code is pushed), 31 V (valid), 63:32 the error code.
    static func exception(vector: UInt8, errorCode: UInt32?) -> UInt64 {
        var event = UInt64(vector) | (3 << 8) | (1 << 31)
        if let errorCode { event |= (1 << 11) | (UInt64(errorCode) << 32) }
        return event
    }
}
